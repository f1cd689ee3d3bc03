// Draws resources/icon.png (1024×1024, the size electron-builder turns into .icns and .ico):
// a scope's reticle over a dark rounded tile. Run with `node resources/make-icon.mjs`.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 1024;
const BACKGROUND_TOP = [31, 41, 55];
const BACKGROUND_BOTTOM = [17, 24, 39];
const ACCENT = [45, 212, 191];
const LIGHT = [226, 232, 240];

/** Signed distance to a rounded square centred in the canvas (negative inside). */
function roundedSquare(x, y, half, radius) {
  const qx = Math.abs(x) - half + radius;
  const qy = Math.abs(y) - half + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

function box(x, y, cx, cy, hw, hh) {
  const qx = Math.abs(x - cx) - hw;
  const qy = Math.abs(y - cy) - hh;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0);
}

/** Coverage of a shape from its signed distance, one pixel of anti-aliasing. */
const cover = (distance) => Math.min(1, Math.max(0, 0.5 - distance));
const mix = (under, over, alpha) => under.map((c, i) => c + (over[i] - c) * alpha);

function pixel(px, py) {
  const x = px + 0.5 - SIZE / 2;
  const y = py + 0.5 - SIZE / 2;
  const tile = cover(roundedSquare(x, y, 460, 200));
  if (tile === 0) return [0, 0, 0, 0];
  let color = mix(BACKGROUND_TOP, BACKGROUND_BOTTOM, (py / SIZE) ** 1.2);
  const r = Math.hypot(x, y);
  color = mix(color, ACCENT, cover(Math.abs(r - 270) - 30));
  color = mix(color, ACCENT, 0.35 * cover(Math.abs(r - 170) - 8));
  const ticks = Math.min(box(x, y, 0, -300, 16, 90), box(x, y, 0, 300, 16, 90), box(x, y, -300, 0, 90, 16), box(x, y, 300, 0, 90, 16));
  color = mix(color, ACCENT, cover(ticks));
  color = mix(color, LIGHT, cover(r - 48));
  return [...color.map(Math.round), Math.round(tile * 255)];
}

function crc32(bytes) {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  const row = py * (SIZE * 4 + 1);
  for (let px = 0; px < SIZE; px++) Buffer.from(pixel(px, py)).copy(raw, row + 1 + px * 4);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`resources/icon.png: ${SIZE}×${SIZE}, ${png.length} bytes`);
