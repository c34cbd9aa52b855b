// Builds src/plasma/keccak-wasm-module.ts: Keccak-256 as a small WebAssembly module, written here as
// WebAssembly text and assembled with wabt. The text is generated (25 lanes make the permutation
// long but regular), so this file is the source to read; the output is a hex string the library
// loads without any tool. `npx tsx scripts/keccak-wasm.ts` rewrites the module; a unit test checks
// that the committed module is what this script makes.
//
// Memory layout (the JS wrapper in src/plasma/keccak-wasm.ts owns everything from DYNAMIC up):
//   RC       0 ..  192  the 24 round constants (a data segment)
//   PAD    256 ..  392  the last, padded block of a message
//   MSG    512 ..  577  the 65-byte message of a tree node: 0x01 ‖ left ‖ right
//   DYNAMIC 1024 ..     messages, tables and digests the wrapper places per call
//
// Exports:
//   hash(ptr, len, out)                 keccak256(mem[ptr, ptr+len)) → mem[out, out+32)
//   hashTable(table, count)             for each (ptr u32, len u32, out u32) entry, in order, hash → out
//                                       (a digest may land inside a later entry's message)
//   level(nodes, count, zero, out)      one Merkle level up: out[i] = keccak(0x01 ‖ n[2i] ‖ n[2i+1]),
//                                       the missing right sibling of an odd count being mem[zero, zero+32)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

export const LAYOUT = { RC: 0, PAD: 256, MSG: 512, DYNAMIC: 1024 } as const;
const RATE = 136;
const LANES_PER_BLOCK = RATE / 8;

/** The round constants, from the LFSR of the Keccak reference (so none is typed in by hand). */
function roundConstants(): bigint[] {
  const out: bigint[] = [];
  let r = 1;
  const step = (): number => {
    const bit = r & 1;
    r = r & 0x80 ? ((r << 1) ^ 0x71) & 0xff : (r << 1) & 0xff;
    return bit;
  };
  for (let round = 0; round < 24; round++) {
    let rc = 0n;
    for (let j = 0; j < 7; j++) if (step()) rc |= 1n << BigInt((1 << j) - 1);
    out.push(rc);
  }
  return out;
}

/** ρ offsets by lane index x + 5y, from the reference's (t+1)(t+2)/2 walk. */
function rhoOffsets(): number[] {
  const offsets = new Array<number>(25).fill(0);
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t++) {
    offsets[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  return offsets;
}

const get = (name: string): string => `(local.get ${name})`;
const not = (e: string): string => `(i64.xor ${e} (i64.const -1))`;

/**
 * χ with lane complementing (the Keccak team's implementation overview, §2.2, "bebigokimisa"): lanes
 * 1, 2, 8, 12, 17 and 20 are kept complemented through the whole permutation, which turns most of
 * χ's NOTs into ORs: 8 NOTs a round instead of 25. Per row y and column x, the new lane is
 * base ^ (next op after), one of them complemented where marked. Checked against @noble/hashes for
 * every message length around the rate (keccak.test.ts).
 */
const COMPLEMENTED = [1, 2, 8, 12, 17, 20];
type ChiRule = readonly ['or' | 'and', 'none' | 'next' | 'after' | 'base'];
const CHI: readonly (readonly ChiRule[])[] = [
  [
    ['or', 'none'],
    ['or', 'next'],
    ['and', 'none'],
    ['or', 'none'],
    ['and', 'none'],
  ],
  [
    ['or', 'none'],
    ['and', 'none'],
    ['or', 'after'],
    ['or', 'none'],
    ['and', 'none'],
  ],
  [
    ['or', 'none'],
    ['and', 'none'],
    ['and', 'next'],
    ['or', 'base'],
    ['and', 'none'],
  ],
  [
    ['and', 'none'],
    ['or', 'none'],
    ['or', 'next'],
    ['and', 'base'],
    ['or', 'none'],
  ],
  [
    ['and', 'next'],
    ['or', 'base'],
    ['and', 'none'],
    ['or', 'none'],
    ['and', 'none'],
  ],
];

/**
 * One round of Keccak-f[1600] from the lanes $<from>0…24 into the lanes $<to>0…24 (θ, ρ, π, χ, ι),
 * row by row: the five lanes ρ and π bring into row y are computed into $t0…$t4 and χ writes that
 * row at once, so only five temporaries are live instead of a whole second state. Two rounds make
 * a pair (a → e → a). `rc` is the round constant, as a WebAssembly expression.
 */
function round(rho: number[], from: string, to: string, rc: string): string[] {
  const lane = (i: number): string => get(`$${from}${i}`);
  const lines: string[] = [];
  // θ: column parities c[x], then d[x] = c[x-1] ^ rotl(c[x+1], 1), xored into every lane of column x.
  for (let x = 0; x < 5; x++) {
    const column = [0, 1, 2, 3, 4].map((y) => lane(x + 5 * y));
    const xors = column.slice(1).reduce((acc, l) => `(i64.xor ${acc} ${l})`, column[0]!);
    lines.push(`(local.set $c${x} ${xors})`);
  }
  for (let x = 0; x < 5; x++)
    lines.push(
      `(local.set $d${x} (i64.xor (local.get $c${(x + 4) % 5}) (i64.rotl (local.get $c${(x + 1) % 5}) (i64.const 1))))`,
    );
  for (let y = 0; y < 5; y++) {
    // ρ and π: the lane at (x, y) after them is rotl(a[x', y'] ^ d[x'], ρ[x', y']) where y' = x and
    // 2x' + 3y' ≡ y (mod 5), i.e. x' = 3(y − 3x) mod 5.
    for (let x = 0; x < 5; x++) {
      const fromX = (((3 * (y - 3 * x)) % 5) + 5) % 5;
      const source = fromX + 5 * x;
      const value = `(i64.xor ${lane(source)} (local.get $d${fromX}))`;
      const r = rho[source]!;
      lines.push(`(local.set $t${x} ${r ? `(i64.rotl ${value} (i64.const ${r}))` : value})`);
    }
    // χ (complemented lanes, see CHI), and ι on lane 0.
    for (let x = 0; x < 5; x++) {
      const [op, negated] = CHI[y]![x]!;
      const t = (k: number): string => get(`$t${(x + k) % 5}`);
      const base = negated === 'base' ? not(t(0)) : t(0);
      const next = negated === 'next' ? not(t(1)) : t(1);
      const after = negated === 'after' ? not(t(2)) : t(2);
      let value = `(i64.xor ${base} (i64.${op} ${next} ${after}))`;
      if (x === 0 && y === 0) value = `(i64.xor ${value} ${rc})`;
      lines.push(`(local.set $${to}${x + 5 * y} ${value})`);
    }
  }
  return lines;
}

export function keccakWat(): string {
  const rho = rhoOffsets();
  const rcBytes = roundConstants()
    .map((rc) =>
      Array.from({ length: 8 }, (_, i) =>
        (Number((rc >> BigInt(8 * i)) & 0xffn) | 0x100).toString(16).slice(1),
      )
        .map((h) => `\\${h}`)
        .join(''),
    )
    .join('');
  const lanes = Array.from({ length: 25 }, (_, i) => i);
  const absorb = Array.from(
    { length: LANES_PER_BLOCK },
    (_, i) =>
      `(local.set $a${i} (i64.xor (local.get $a${i}) (i64.load offset=${8 * i} (local.get $src))))`,
  );
  // The state starts at zero: its complemented lanes at all ones. The digest's lanes 1 and 2 are
  // complemented back on the way out.
  const start = COMPLEMENTED.map((i) => `(local.set $a${i} (i64.const -1))`);
  const squeeze = [0, 1, 2, 3].map((i) => {
    const value = COMPLEMENTED.includes(i) ? not(get(`$a${i}`)) : get(`$a${i}`);
    return `(i64.store offset=${8 * i} (local.get $out) ${value})`;
  });
  const rc = (offset: number): string =>
    `(i64.load offset=${offset} (i32.shl (local.get $r) (i32.const 3)))`;
  return `(module
  (memory (export "memory") 1)
  (data (i32.const ${LAYOUT.RC}) "${rcBytes}")

  (func $hash (export "hash") (param $ptr i32) (param $len i32) (param $out i32)
    ${lanes.map((i) => `(local $a${i} i64)`).join(' ')}
    ${lanes.map((i) => `(local $e${i} i64)`).join(' ')}
    ${[0, 1, 2, 3, 4].map((i) => `(local $c${i} i64) (local $d${i} i64) (local $t${i} i64)`).join(' ')}
    (local $src i32) (local $last i32) (local $r i32)
    ${start.join(' ')}
    (loop $blocks
      (if (i32.ge_u (local.get $len) (i32.const ${RATE}))
        (then
          (local.set $src (local.get $ptr))
          (local.set $ptr (i32.add (local.get $ptr) (i32.const ${RATE})))
          (local.set $len (i32.sub (local.get $len) (i32.const ${RATE}))))
        (else
          ;; the last block: what is left of the message, 0x01, zeros, 0x80 in the last byte
          (memory.fill (i32.const ${LAYOUT.PAD}) (i32.const 0) (i32.const ${RATE}))
          (memory.copy (i32.const ${LAYOUT.PAD}) (local.get $ptr) (local.get $len))
          (i32.store8 (i32.add (i32.const ${LAYOUT.PAD}) (local.get $len)) (i32.const 0x01))
          (i32.store8 (i32.const ${LAYOUT.PAD + RATE - 1})
            (i32.or (i32.load8_u (i32.const ${LAYOUT.PAD + RATE - 1})) (i32.const 0x80)))
          (local.set $src (i32.const ${LAYOUT.PAD}))
          (local.set $last (i32.const 1))))
      ${absorb.join('\n      ')}
      ;; 24 rounds, two at a time: a → e, then e → a
      (local.set $r (i32.const 0))
      (loop $rounds
        ${round(rho, 'a', 'e', rc(0)).join('\n        ')}
        ${round(rho, 'e', 'a', rc(8)).join('\n        ')}
        (local.set $r (i32.add (local.get $r) (i32.const 2)))
        (br_if $rounds (i32.lt_u (local.get $r) (i32.const 24))))
      (br_if $blocks (i32.eqz (local.get $last))))
    ${squeeze.join('\n    ')})

  (func (export "hashTable") (param $table i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $table) (i32.mul (local.get $count) (i32.const 12))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $table) (local.get $end)))
        (call $hash (i32.load (local.get $table)) (i32.load offset=4 (local.get $table))
          (i32.load offset=8 (local.get $table)))
        (local.set $table (i32.add (local.get $table) (i32.const 12)))
        (br $each))))

  (func (export "level") (param $nodes i32) (param $count i32) (param $zero i32) (param $out i32)
    (local $i i32)
    (i32.store8 (i32.const ${LAYOUT.MSG}) (i32.const 0x01))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (memory.copy (i32.const ${LAYOUT.MSG + 1}) (local.get $nodes) (i32.const 32))
        (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $count))
          (then (memory.copy (i32.const ${LAYOUT.MSG + 33}) (i32.add (local.get $nodes) (i32.const 32)) (i32.const 32)))
          (else (memory.copy (i32.const ${LAYOUT.MSG + 33}) (local.get $zero) (i32.const 32))))
        (call $hash (i32.const ${LAYOUT.MSG}) (i32.const 65) (local.get $out))
        (local.set $nodes (i32.add (local.get $nodes) (i32.const 64)))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $each))))
)
`;
}

/** The assembled module. */
export async function keccakWasm(): Promise<Uint8Array> {
  const wabt = await initWabt();
  const module = wabt.parseWat('keccak.wat', keccakWat(), { bulk_memory: true });
  try {
    module.validate();
    return Uint8Array.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** The text of src/plasma/keccak-wasm-module.ts for `bytes`. */
export function moduleSource(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  const lines = hex.match(/.{1,88}/g)!.map((line) => `  '${line}' +`);
  lines[lines.length - 1] = lines[lines.length - 1]!.replace(/ \+$/, ';');
  return `// Generated by scripts/keccak-wasm.ts (\`npx tsx scripts/keccak-wasm.ts\`); do not edit. The source
// to read is that script: it writes Keccak-256 as WebAssembly text and assembles it.
export const KECCAK_WASM_HEX =
${lines.join('\n')}
export const KECCAK_WASM_LAYOUT = { RC: ${LAYOUT.RC}, PAD: ${LAYOUT.PAD}, MSG: ${LAYOUT.MSG}, DYNAMIC: ${LAYOUT.DYNAMIC} };
`;
}

export const MODULE_PATH = fileURLToPath(
  new URL('../src/plasma/keccak-wasm-module.ts', import.meta.url),
);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = await keccakWasm();
  writeFileSync(MODULE_PATH, moduleSource(bytes));
  console.log(`Wrote ${MODULE_PATH} (${bytes.length} bytes of WebAssembly).`);
}
