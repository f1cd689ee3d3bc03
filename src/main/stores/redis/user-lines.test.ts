import { describe, expect, it } from 'vitest';
import { splitCommandLines, splitWords } from './user-lines';
import { replyRows } from './user-commands';

describe('the workbench’s Redis lines', () => {
  it('splits words as redis-cli does: quotes, escapes, hex bytes, empty strings', () => {
    expect(splitWords('SET  k   v', 1)).toEqual(['SET', 'k', 'v']);
    expect(splitWords('SET "a b" \'c d\'', 1)).toEqual(['SET', 'a b', 'c d']);
    expect(splitWords('SET k "line\\nnext\\t\\"q\\"\\x41"', 1)).toEqual(['SET', 'k', 'line\nnext\t"q"A']);
    expect(splitWords("SET k 'it\\'s' \"\"", 1)).toEqual(['SET', 'k', "it's", '']);
  });

  it('refuses unbalanced or glued quotes with the line and position', () => {
    expect(() => splitWords('GET "open', 3)).toThrowError(expect.objectContaining({ code: 'invalid_argument', message: 'Line 3: a quote is not closed.' }) as Error);
    expect(() => splitWords('GET "a"b', 1)).toThrowError(/closing quote/);
    expect(() => splitWords('GET a"b"', 1)).toThrowError(/middle of a word/);
  });

  it('skips blank and comment lines and keeps the text’s line numbers', () => {
    expect(splitCommandLines('\n# note\nGET a\r\n\n  PING  ')).toEqual([
      { line: 3, words: ['GET', 'a'] },
      { line: 5, words: ['PING'] },
    ]);
  });

  it('turns replies into rows: scalars, lists, pairs, maps, nested, errors', () => {
    expect(replyRows(1, 'get', ['k'], 'v')).toEqual([[1, 'GET', null, 'v']]);
    expect(replyRows(1, 'get', ['k'], null)).toEqual([[1, 'GET', null, null]]);
    expect(replyRows(2, 'lrange', ['k', '0', '-1'], ['a', 'b'])).toEqual([[2, 'LRANGE', '1', 'a'], [2, 'LRANGE', '2', 'b']]);
    expect(replyRows(3, 'zrange', ['k', '0', '-1', 'WITHSCORES'], ['m', '1'])).toEqual([[3, 'ZRANGE', 'm', '1']]);
    expect(replyRows(4, 'hgetall', ['k'], { f: 'v' })).toEqual([[4, 'HGETALL', 'f', 'v']]);
    expect(replyRows(5, 'xrange', ['k', '-', '+'], [['1-0', ['f', 'v']]])).toEqual([[5, 'XRANGE', '1', '["1-0",["f","v"]]']]);
    expect(replyRows(6, 'smembers', ['k'], [])).toEqual([[6, 'SMEMBERS', null, '(empty array)']]);
    expect(replyRows(7, 'hget', ['k', 'f'], new Error('WRONGTYPE x'))).toEqual([[7, 'HGET', null, '(error) WRONGTYPE x']]);
  });
});
