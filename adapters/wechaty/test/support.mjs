// Test support: a fake ledgerbot that checks the generic adapter's signature, and a WeChat world
// from wechaty-puppet-mock whose puppet reports in-group nicknames.
import { createServer } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { WechatyBuilder } from 'wechaty';

import { signedHeaders, verify } from '../src/signing.mjs';

export const SECRET = 'bridge-test-secret';

/// PuppetMock never reports an in-group nickname (roomAlias is commented out upstream), and its
/// roomDel does nothing: here it does what WeChat does when the owner's account removes someone,
/// a room-leave with the bot as the remover.
export class AliasPuppet extends PuppetMock {
  aliases = new Map();
  removals = [];
  async roomMemberRawPayload(roomId, contactId) {
    return { ...(await super.roomMemberRawPayload(roomId, contactId)), roomAlias: this.aliases.get(`${roomId}|${contactId}`) };
  }
  async roomDel(roomId, contactId) {
    this.removals.push({ roomId, contactId });
    const { RoomMock, ContactMock } = this.mocker;
    RoomMock.load(roomId).remove(ContactMock.load(contactId)).by(ContactMock.load(this.currentUserId));
  }
}

/// ledgerbot's two generic routes, on 127.0.0.1:0. `up = false` answers 503 (storage down).
export async function fakeLedgerbot() {
  const fake = { events: [], uploads: [], refused: [], up: true };
  fake.server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (c) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const problem = verify(SECRET, request.headers, body);
      if (problem) {
        fake.refused.push(problem);
        response.writeHead(401).end(JSON.stringify({ error: problem }));
        return;
      }
      if (!fake.up) {
        response.writeHead(503).end(JSON.stringify({ error: 'storage_unavailable' }));
        return;
      }
      if (request.url === '/hooks/generic/media') {
        const id = `${'0'.repeat(56)}${String(fake.uploads.length + 1).padStart(8, '0')}`;
        fake.uploads.push({ id, bytes: body });
        response.writeHead(200).end(JSON.stringify({ upload_id: id }));
        return;
      }
      const event = JSON.parse(body.toString('utf8'));
      fake.events.push(event);
      response.writeHead(200).end(JSON.stringify({ status: 'stored', id: event.id }));
    });
  });
  await new Promise((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${fake.server.address().port}`;
  // The bridge's fetch keeps its connection alive; on a loaded machine close() could find it
  // not yet idle and wait for it for ever. Close it, like the bridge closes ledgerbot's.
  fake.close = () => new Promise((resolve) => {
    fake.server.close(resolve);
    fake.server.closeAllConnections();
  });
  return fake;
}

/// Polls until `predicate()` holds (at most ~20 s: CI runs this beside a browser and fuzzers).
export async function until(predicate, what = 'condition') {
  for (let i = 0; i < 1000; i += 1) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/// A mock WeChat: the bot account, 张三 (owner), 李四, 王总 (the company's), a project room.
/// Contact ids are `prefix` + pinyin: `wxid_zhangsan` by default, `zhangsan` (the staff list's
/// id) for the end-to-end test.
/// `botOwns`: the bot account owns the room (it can remove members).
export function mockWorld(prefix = 'wxid_', { botOwns = false } = {}) {
  const mocker = new mock.Mocker();
  const puppet = new AliasPuppet({ mocker });
  const bot = WechatyBuilder.build({ puppet });
  const user = mocker.createContact({ id: 'bot-self', name: '服务台账助手' });
  const zhangsan = mocker.createContact({ id: `${prefix}zhangsan`, name: '张三' });
  const lisi = mocker.createContact({ id: `${prefix}lisi`, name: '李四' });
  const wang = mocker.createContact({ id: `${prefix}wang`, name: '王总' });
  const room = mocker.createRoom({
    id: 'room-17@chatroom',
    topic: '宁夏示例科技有限公司服务项目专属服务群',
    memberIdList: [user.id, zhangsan.id, lisi.id],
    ownerId: botOwns ? user.id : zhangsan.id,
  });
  puppet.aliases.set(`${room.id}|${zhangsan.id}`, '张三-项目负责人');
  puppet.aliases.set(`${room.id}|${lisi.id}`, '李四-合规质效督办');
  return { mocker, puppet, bot, user, zhangsan, lisi, wang, room };
}

export async function stateDir() {
  return mkdtemp(join(tmpdir(), 'wechaty-bridge-'));
}

export function bridgeEnv(fake, dir) {
  return {
    LEDGERBOT_URL: fake.url,
    LEDGERBOT_GENERIC_SECRET: SECRET,
    BRIDGE_LISTEN: '127.0.0.1:0',
    BRIDGE_STATE_DIR: dir,
    SNAPSHOT_DELAY_MS: '50',
    SEND_MIN_INTERVAL_MS: '20',
  };
}

/// A notice as ledgerbot's generic sender posts it, signed.
export async function postNotice(port, notice, secret = SECRET) {
  const body = JSON.stringify(notice);
  const response = await fetch(`http://127.0.0.1:${port}/notices`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Ledgerbot-Notice-Id': String(notice.notice_id), ...signedHeaders(secret, body) },
    body,
  });
  return { status: response.status, body: await response.json() };
}

export const silent = { info() {}, warn() {}, error() {} };
