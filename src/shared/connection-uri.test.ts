import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { parseConnectionUri } from './connection-uri';

function refusal(uri: string): AppError {
  try {
    parseConnectionUri(uri);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw new Error(`expected an AppError for ${uri}, got ${String(error)}`, { cause: error });
  }
  throw new Error(`expected ${uri} to be refused`);
}

describe('parseConnectionUri: PostgreSQL', () => {
  it('splits the password out of a postgres:// URI and keeps host, port, database and user', () => {
    const parsed = parseConnectionUri('postgres://app_user:s3cr%40t@db.example.com:6543/murima?sslmode=verify-full');
    expect(parsed).toMatchObject({
      store: 'postgres',
      password: 's3cr@t',
      endpoint: { host: 'db.example.com', port: 6543, database: 'murima', username: 'app_user', tls: { enabled: true, rejectUnauthorized: true } },
    });
    expect(JSON.stringify(parsed.endpoint)).not.toContain('s3cr');
  });

  it('accepts postgresql://, defaults the port and the database to the user name', () => {
    const parsed = parseConnectionUri('postgresql://alice@localhost');
    expect(parsed.endpoint).toMatchObject({ host: 'localhost', port: 5432, database: 'alice', username: 'alice' });
    expect(parsed.password).toBeUndefined();
  });

  it('maps sslmode=require to TLS without certificate checks and reads certificate paths', () => {
    const parsed = parseConnectionUri('postgres://u@h/db?sslmode=require&sslrootcert=/etc/ca.pem&sslcert=/c.pem&sslkey=/k.pem');
    expect(parsed.endpoint.tls).toEqual({ enabled: true, rejectUnauthorized: false, caFile: '/etc/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' });
  });

  it('takes a password given as a query parameter out of the endpoint too', () => {
    const parsed = parseConnectionUri('postgres://u@h/db?password=hunter2&application_name=x');
    expect(parsed.password).toBe('hunter2');
    expect(JSON.stringify(parsed)).not.toMatch(/hunter2.*hunter2/);
    expect(JSON.stringify(parsed.endpoint)).not.toContain('hunter2');
    expect(parsed.ignoredOptions).toEqual(['application_name']);
  });

  it('reads an unescaped @ in the password as part of the password', () => {
    const parsed = parseConnectionUri('postgres://u:p@ss@h:5432/db');
    expect(parsed.password).toBe('p@ss');
    expect(parsed.endpoint).toMatchObject({ host: 'h' });
  });

  it('understands an IPv6 literal', () => {
    expect(parseConnectionUri('postgres://u@[::1]:5433/db').endpoint).toMatchObject({ host: '::1', port: 5433 });
  });

  it('refuses several hosts, a missing user and an unknown sslmode', () => {
    expect(refusal('postgres://u@h1,h2/db').message).toMatch(/one host/);
    expect(refusal('postgres://h/db').message).toMatch(/needs a user/);
    expect(refusal('postgres://u@h/db?sslmode=maybe').message).toMatch(/sslmode/);
  });
});

describe('parseConnectionUri: MongoDB', () => {
  it('keeps a seed list, authSource, replicaSet and TLS options, and splits the password', () => {
    const parsed = parseConnectionUri(
      'mongodb://admin:pa%3Ass@m1.example.com:27017,m2.example.com:27018/?authSource=admin&replicaSet=rs0&tls=true&tlsCAFile=/ca.pem',
    );
    expect(parsed).toMatchObject({
      store: 'mongo',
      password: 'pa:ss',
      endpoint: {
        hosts: 'm1.example.com:27017,m2.example.com:27018',
        srv: false,
        username: 'admin',
        authSource: 'admin',
        replicaSet: 'rs0',
        tls: { enabled: true, rejectUnauthorized: true, caFile: '/ca.pem' },
      },
    });
    expect(JSON.stringify(parsed.endpoint)).not.toContain('pa:ss');
  });

  it('treats mongodb+srv as TLS by default and the path database as the auth source', () => {
    const parsed = parseConnectionUri('mongodb+srv://u:p@cluster0.example.net/shared?ssl=true&tlsAllowInvalidCertificates=true');
    expect(parsed.endpoint).toMatchObject({ hosts: 'cluster0.example.net', srv: true, authSource: 'shared', tls: { enabled: true, rejectUnauthorized: false } });
    expect(parseConnectionUri('mongodb+srv://c.example.net').endpoint.tls.enabled).toBe(true);
    expect(parseConnectionUri('mongodb://localhost').endpoint.tls.enabled).toBe(false);
  });

  it('refuses a port or several hosts with mongodb+srv, and a non-boolean tls', () => {
    expect(refusal('mongodb+srv://c.example.net:27017').message).toMatch(/no port/);
    expect(refusal('mongodb+srv://a.net,b.net').message).toMatch(/one host/);
    expect(refusal('mongodb://h?tls=perhaps').message).toMatch(/true or false/);
  });
});

describe('parseConnectionUri: Redis', () => {
  it('reads the database from the path and splits the password', () => {
    const parsed = parseConnectionUri('redis://:topsecret@cache.internal:6380/4');
    expect(parsed).toMatchObject({ store: 'redis', password: 'topsecret', endpoint: { host: 'cache.internal', port: 6380, db: 4, tls: { enabled: false } } });
    expect(parsed.endpoint.username).toBeUndefined();
  });

  it('keeps an ACL user name and turns TLS on for rediss://', () => {
    const parsed = parseConnectionUri('rediss://ops:pw@cache.internal');
    expect(parsed.endpoint).toMatchObject({ username: 'ops', port: 6379, db: 0, tls: { enabled: true } });
    expect(parsed.password).toBe('pw');
  });

  it('refuses a database that is not a number or out of range', () => {
    expect(refusal('redis://h/abc').message).toMatch(/not a number/);
    expect(refusal('redis://h/999').code).toBe('invalid_argument');
  });
});

describe('parseConnectionUri: Elasticsearch', () => {
  it('splits credentials out of the node URL', () => {
    const parsed = parseConnectionUri('https://elastic:changeme@es.example.com:9200');
    expect(parsed).toMatchObject({
      store: 'elastic',
      password: 'changeme',
      endpoint: { node: 'https://es.example.com:9200', username: 'elastic', tls: { enabled: true } },
    });
    expect(JSON.stringify(parsed.endpoint)).not.toContain('changeme');
  });

  it('accepts plain http without a port, and refuses a path', () => {
    expect(parseConnectionUri('http://localhost').endpoint).toMatchObject({ node: 'http://localhost', tls: { enabled: false } });
    expect(refusal('https://es.example.com:9200/proxy').message).toMatch(/no path/);
  });
});

describe('parseConnectionUri: hostile input', () => {
  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['ftp://h', /not a supported scheme/],
    ['javascript://alert(1)', /not a supported scheme/],
    ['constructor://h', /not a supported scheme/],
    ['__proto__://h', /no a supported scheme|supported scheme/],
    ['localhost:5432', /supported scheme/],
    ['postgres://u@h:99999/db', /port/],
    ['postgres://u@h:0/db', /port/],
    ['postgres://u@h:12ab/db', /port/],
    ['postgres://u@[::1/db', /closing \]/],
    ['postgres://u@::1/db', /brackets/],
    ['postgres://u:%zz@h/db', /%-escape/],
    ['postgres://u@/db', /host is missing/],
    ['postgres://u@h/db\r\nX-Injected: 1', /control characters/],
    ['postgres://u@h/d\u0000b', /control characters/],
    ['postgres://u@h%20evil/db', /host/],
    ['postgres://u@h/my.db', /database name/],
    ['redis://h/1/2', /not a number/],
    ['postgres://u@' + 'a'.repeat(5000) + '/db', /longer than/],
  ])('refuses hostile input #%# with a clear invalid_argument', (uri, message) => {
    const error = refusal(uri);
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(message);
  });

  it('never echoes a password in a refusal', () => {
    const error = refusal('postgres://u:VerySecret@h:99999/db');
    expect(error.message).not.toContain('VerySecret');
  });
});
