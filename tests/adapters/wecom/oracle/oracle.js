#!/usr/bin/env node
// Independent oracle for ledgerbot's C++ WeCom callback crypto: WeCom's own npm package
// @wecom/crypto. Driven by tests/adapters/wecom/crypto_oracle_test.cpp.
//
// Setup (once):  npm ci --prefix tests/adapters/wecom/oracle
//
//   node oracle.js generate N KEY RECEIVEID [SEED]
//     Prints N JSON lines {message, receiveid, encrypt, token, timestamp, nonce, msgsignature}
//     encrypted and signed by @wecom/crypto. Every fifth line, and lines 21, 51, … (whose message
//     is empty), use an empty receiveid: the intelligent bot's form.
//     The same SEED gives the same lines, so a failure can be replayed.
//
//   node oracle.js decrypt KEY  < lines
//     Reads JSON lines {encrypt, message, receiveid} (plus token, timestamp, nonce and
//     msgsignature, checked when present), decrypts each with @wecom/crypto and exits non-zero
//     on any mismatch or if no line was read.
'use strict';

const { encrypt, decrypt, getSignature } = require('@wecom/crypto');

// mulberry32: tiny seeded PRNG; Math.random cannot be seeded.
function makeRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickInt(random, low, high) {
  return low + Math.floor(random() * (high - low + 1));
}

// Code point ranges by UTF-8 width; surrogates are excluded so every string is valid UTF-8.
const kAlphabets = {
  ascii: [[0x20, 0x7e]],
  control: [[0x00, 0x1f]],
  twoByte: [[0xa1, 0x24f], [0x400, 0x4ff]],
  chinese: [[0x4e00, 0x9fff], [0x3000, 0x303f], [0xff01, 0xff5e]],
  emoji: [[0x1f300, 0x1f5ff], [0x1f600, 0x1f64f], [0x1f900, 0x1f9ff]],
};

function randomCodePoint(random, alphabet) {
  const ranges = kAlphabets[alphabet];
  const [low, high] = ranges[pickInt(random, 0, ranges.length - 1)];
  return pickInt(random, low, high);
}

// Appends code points until the UTF-8 length reaches targetBytes (it may overshoot by up to 3
// bytes when the last character is wide).
function randomText(random, targetBytes, alphabets) {
  let text = '';
  let bytes = 0;
  while (bytes < targetBytes) {
    const alphabet = alphabets[pickInt(random, 0, alphabets.length - 1)];
    const ch = String.fromCodePoint(randomCodePoint(random, alphabet));
    text += ch;
    bytes += Buffer.byteLength(ch);
  }
  return text;
}

function randomAlnum(random, length) {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < length; i++) {
    out += chars[pickInt(random, 0, chars.length - 1)];
  }
  return out;
}

function randomMessage(random, index, receiveid) {
  const kinds = [
    () => '',
    () => randomText(random, pickInt(random, 1, 80), ['ascii']),
    () => randomText(random, pickInt(random, 1, 300), ['chinese']),
    () => randomText(random, pickInt(random, 1, 120), ['emoji']),
    () => randomText(random, pickInt(random, 1, 400), ['ascii', 'chinese', 'emoji', 'twoByte']),
    () => randomText(random, pickInt(random, 1, 40), ['control', 'ascii']),
    () => `<xml><Content><![CDATA[${randomText(random, pickInt(random, 0, 60), ['chinese', 'ascii'])}]]></Content></xml>`,
    () => JSON.stringify({ msgtype: 'text', text: { content: randomText(random, 30, ['chinese', 'emoji']) } }),
    () => randomText(random, pickInt(random, 2000, 6000), ['ascii', 'chinese']),
    // Plaintext lengths that land just below, on and just above a 32-byte pad boundary.
    () => {
      const boundary = 32 * pickInt(random, 1, 6) - 20 - Buffer.byteLength(receiveid);
      const target = Math.max(0, boundary + pickInt(random, -3, 3));
      return randomText(random, target, index % 2 === 0 ? ['ascii'] : ['ascii', 'chinese']);
    },
  ];
  return kinds[index % kinds.length]();
}

function generate(count, key, receiveid, seed) {
  const random = makeRandom(seed);
  for (let i = 0; i < count; i++) {
    const id = i % 5 === 4 || i % 30 === 20 ? '' : receiveid;
    const message = randomMessage(random, i, id);
    const prefix = Buffer.from(Array.from({ length: 16 }, () => pickInt(random, 0, 255)));
    const ciphertext = encrypt(key, message, id, prefix);
    const token = randomAlnum(random, pickInt(random, 3, 32));
    const timestamp = String(1400000000 + pickInt(random, 0, 400000000));
    const nonce = i % 2 === 0 ? String(pickInt(random, 1, 2147483647)) : randomAlnum(random, 16);
    const msgsignature = getSignature(token, timestamp, nonce, ciphertext);
    process.stdout.write(JSON.stringify({
      message, receiveid: id, encrypt: ciphertext, token, timestamp, nonce, msgsignature,
    }) + '\n');
  }
}

function checkLine(key, line) {
  const input = JSON.parse(line);
  for (const field of ['encrypt', 'message', 'receiveid']) {
    if (typeof input[field] !== 'string') {
      return `field ${field} missing or not a string`;
    }
  }
  const raw = Buffer.from(input.encrypt, 'base64');
  if (raw.toString('base64') !== input.encrypt) {
    return 'encrypt is not canonical base64';
  }
  if (raw.length === 0 || raw.length % 32 !== 0) {
    return `ciphertext length ${raw.length} is not a non-zero multiple of 32`;
  }
  const out = decrypt(key, input.encrypt);
  if (out.message !== input.message) {
    return `message differs: got ${JSON.stringify(out.message)}`;
  }
  if (out.id !== input.receiveid) {
    return `receiveid differs: got ${JSON.stringify(out.id)}`;
  }
  if (input.msgsignature !== undefined) {
    const expected = getSignature(input.token, input.timestamp, input.nonce, input.encrypt);
    if (expected !== input.msgsignature) {
      return `msgsignature differs: @wecom/crypto computes ${expected}`;
    }
  }
  return null;
}

function decryptAll(key) {
  const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter((l) => l.length > 0);
  let failures = 0;
  lines.forEach((line, index) => {
    let problem;
    try {
      problem = checkLine(key, line);
    } catch (error) {
      problem = `threw ${error.message}`;
    }
    if (problem !== null) {
      failures += 1;
      if (failures <= 10) {
        console.log(`line ${index + 1}: ${problem}\n  input: ${line.slice(0, 300)}`);
      }
    }
  });
  console.log(`@wecom/crypto oracle: ${lines.length} lines, ${failures} mismatches`);
  if (lines.length === 0) {
    console.log('no input lines: nothing was checked');
    return 2;
  }
  return failures === 0 ? 0 : 1;
}

function main(argv) {
  const [mode, ...args] = argv;
  if (mode === 'generate' && (args.length === 3 || args.length === 4)) {
    const count = Number.parseInt(args[0], 10);
    const seed = args.length === 4 ? Number.parseInt(args[3], 10) : Date.now();
    generate(count, args[1], args[2], seed);
    return 0;
  }
  if (mode === 'decrypt' && args.length === 1) {
    return decryptAll(args[0]);
  }
  console.error('usage: oracle.js generate N KEY RECEIVEID [SEED] | oracle.js decrypt KEY < lines');
  return 64;
}

process.exitCode = main(process.argv.slice(2));
