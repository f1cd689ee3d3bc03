import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AppError } from '@shared/errors';
import { generateSigningKeys, publicKeyFromPem, signWorkspace, verifyWorkspaceFile } from './signed-workspace';

const USAGE = [
  'usage: npm run workspace -- keygen --private private.pem --public public.pem',
  '       npm run workspace -- sign --key private.pem --in ws.json --out ws.signed.json',
  '       npm run workspace -- verify --pub public.pem --in ws.signed.json',
].join('\n');

type Print = (line: string) => void;

/**
 * Managed workspace files: a platform admin makes a key pair, signs a workspace file with the
 * private key and hands out the public key for `<dataDir>/trusted-keys/`. Exit 0 on success; 1
 * when a file does not verify; 2 on wrong usage or unreadable input.
 */
export async function main(argv: string[], out: Print = console.log, err: Print = console.error): Promise<number> {
  const [command, ...rest] = argv;
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        private: { type: 'string' },
        public: { type: 'string' },
        key: { type: 'string' },
        pub: { type: 'string' },
        in: { type: 'string' },
        out: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  try {
    if (command === 'keygen' && values.private && values.public) {
      const { privatePem, publicPem } = generateSigningKeys();
      await writeFile(values.private, privatePem, { mode: 0o600, flag: 'wx' });
      await writeFile(values.public, publicPem, { mode: 0o644, flag: 'wx' });
      out(`Wrote ${values.private} (keep it secret) and ${values.public} (copy it to each console's trusted-keys folder).`);
      return 0;
    }
    if (command === 'sign' && values.key && values.in && values.out) {
      const payload: unknown = JSON.parse(await readFile(values.in, 'utf8'));
      const signed = signWorkspace(payload, await readFile(values.key, 'utf8'));
      await writeFile(values.out, `${JSON.stringify(signed, null, 2)}\n`, { mode: 0o644 });
      out(`Signed ${values.in} → ${values.out} with key ${signed.signature.keyId.slice(0, 16)}…`);
      return 0;
    }
    if (command === 'verify' && values.pub && values.in) {
      const key = publicKeyFromPem(await readFile(values.pub, 'utf8'), values.pub);
      try {
        const { payload, info } = verifyWorkspaceFile(await readFile(values.in, 'utf8'), [key]);
        out(`valid: workspace ${payload.id} "${payload.workspace.name}", role ${payload.operator.role}, issued by ${info.issuedBy} at ${info.issuedAt}`);
        return 0;
      } catch (error) {
        if (!AppError.is(error)) throw error;
        out(`NOT VALID: ${error.message}`);
        return 1;
      }
    }
  } catch (error) {
    err(error instanceof AppError || error instanceof Error ? error.message : String(error));
    return 2;
  }
  err(USAGE);
  return 2;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  process.exitCode = await main(process.argv.slice(2));
}
