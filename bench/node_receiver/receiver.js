// A user's baseline for bench/ingest_bench: the plainest WeCom app-callback receiver one would
// write in Node — node:http, WeCom's own @wecom/crypto to check the signature and decrypt, the
// message id deduplicated in memory, and the event appended to a file with group commit (one
// fsync for every request that arrived meanwhile) before the 200. No processing at all.
//
//   node bench/node_receiver/receiver.js --token T --key K --file /tmp/received.jsonl
// prints "listening <port>" on stdout. @wecom/crypto comes from the crypto oracle's install
// (npm ci --prefix tests/adapters/wecom/oracle), which scripts/test.sh runs.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { createRequire } = require('node:module');

const oracle = createRequire(
  path.join(__dirname, '..', '..', 'tests', 'adapters', 'wecom', 'oracle', 'package.json'));
const { decrypt, getSignature } = oracle('@wecom/crypto');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}

const token = option('token');
const key = option('key');
const file = fs.openSync(option('file', '/tmp/node-receiver.jsonl'), 'a');
const seen = new Set();

// Group commit: requests wait here until the next write + fsync covers them.
let waiting = [];
let flushing = false;
function flush() {
  if (flushing || waiting.length === 0) return;
  flushing = true;
  const batch = waiting;
  waiting = [];
  const lines = batch.map((item) => item.line).join('');
  fs.write(file, lines, (writeError) => {
    fs.fsync(file, (syncError) => {
      flushing = false;
      const failed = writeError || syncError;
      for (const item of batch) item.done(failed);
      flush();
    });
  });
}

function text(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const body = Buffer.concat(chunks).toString('utf8');
    const encrypt = /<Encrypt><!\[CDATA\[([^\]]*)\]\]><\/Encrypt>/.exec(body);
    if (!encrypt) return text(res, 400, 'no Encrypt');
    const q = url.searchParams;
    if (getSignature(token, q.get('timestamp'), q.get('nonce'), encrypt[1]) !==
        q.get('msg_signature')) {
      return text(res, 401, 'bad signature');
    }
    let message;
    try {
      ({ message } = decrypt(key, encrypt[1]));
    } catch (error) {
      return text(res, 400, 'cannot decrypt');
    }
    const id = /<MsgId>([^<]*)<\/MsgId>/.exec(message);
    const msgId = id ? id[1] : '';
    if (seen.has(msgId)) return text(res, 200, 'success');
    seen.add(msgId);
    waiting.push({
      line: JSON.stringify({ id: msgId, xml: message }) + '\n',
      done: (error) => (error ? text(res, 500, 'not stored') : text(res, 200, 'success')),
    });
    flush();
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
