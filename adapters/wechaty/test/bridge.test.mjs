// The bridge against wechaty-puppet-mock and a fake ledgerbot that checks signatures.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { FileBox } from 'file-box';

import { startBridge } from '../src/main.mjs';
import { bridgeEnv, fakeLedgerbot, mockWorld, postNotice, silent, stateDir, until } from './support.mjs';

/// A bridge on the mock world, logged in. Stopped when the test ends, whatever happened.
async function started(fake, dir = undefined, t = undefined, worldOptions = {}) {
  const world = mockWorld('wxid_', worldOptions);
  const running = await startBridge({ bot: world.bot, env: bridgeEnv(fake, dir ?? await stateDir()), log: silent });
  let stopped = false;
  const stop = running.stop;
  running.stop = async () => {
    if (!stopped) {
      stopped = true;
      await stop();
    }
  };
  t?.after(() => running.stop());
  world.mocker.login(world.user);
  await until(() => running.bridge.loggedIn, 'login');
  return { world, running };
}

test('room events become signed generic events with in-group nicknames', async (t) => {
  const fake = await fakeLedgerbot();
  t.after(() => fake.close());
  const { world, running } = await started(fake, undefined, t);
  const { room, zhangsan, lisi, wang, user } = world;
  try {
    // The snapshot at login: every member with their nickname, departures unexplained.
    await until(() => fake.events.some((e) => e.type === 'group_snapshot'), 'the login snapshot');
    const snapshot = fake.events.find((e) => e.type === 'group_snapshot');
    assert.equal(snapshot.chat.id, room.id);
    assert.equal(snapshot.chat.owner, zhangsan.id);
    assert.equal(snapshot.by_self, false);
    assert.equal(snapshot.leave_kind, 'unknown');
    assert.deepEqual(snapshot.members.find((m) => m.id === zhangsan.id), { id: zhangsan.id, name: '张三', nickname: '张三-项目负责人' });
    // The bot account is not a participant: never listed as a member.
    assert.deepEqual(snapshot.members.map((m) => m.id).sort(), [lisi.id, zhangsan.id].sort());

    zhangsan.say('【走访记录】\n企业名称：示例科技\n走访时间：昨天 上午10点').to(room);
    await until(() => fake.events.some((e) => e.type === 'message'), 'the message');
    const message = fake.events.find((e) => e.type === 'message');
    assert.match(message.id, /^wx-msg-/);
    assert.equal(message.chat.name, '宁夏示例科技有限公司服务项目专属服务群');
    assert.deepEqual(message.sender, { id: zhangsan.id, name: '张三', nickname: '张三-项目负责人' });
    assert.match(message.text, /企业名称：示例科技/);

    room.add(wang).by(zhangsan);
    await until(() => fake.events.some((e) => e.type === 'member_joined'), 'the join');
    const joined = fake.events.find((e) => e.type === 'member_joined');
    assert.deepEqual(joined.members.map((m) => m.id), [wang.id]);
    assert.equal(joined.by.id, zhangsan.id);

    // The bot removes someone: a removal it saw. A member named as their own remover: unknown.
    room.remove(wang).by(user);
    room.remove(lisi).by(lisi);
    await until(() => fake.events.filter((e) => e.type === 'member_left').length === 2, 'the leaves');
    const left = Object.fromEntries(fake.events.filter((e) => e.type === 'member_left').map((e) => [e.member.id, e]));
    assert.equal(left[wang.id].leave_kind, 'removed');
    assert.equal(left[lisi.id].leave_kind, 'unknown');
    assert.equal(left[lisi.id].by_self, false, 'no self-leave without the owner\'s confirmation');

    room.topic('宁夏示例科技有限公司服务项目专属服务群（二期）').by(zhangsan);
    await until(() => fake.events.some((e) => e.type === 'group_renamed'), 'the rename');
    const renamed = fake.events.find((e) => e.type === 'group_renamed');
    assert.equal(renamed.old_name, '宁夏示例科技有限公司服务项目专属服务群');
    assert.equal(renamed.chat.name, '宁夏示例科技有限公司服务项目专属服务群（二期）');

    // A snapshot follows the room's events.
    await until(() => fake.events.filter((e) => e.type === 'group_snapshot').length >= 2, 'a later snapshot');
    assert.equal(fake.refused.length, 0, 'every post was signed');
    assert.equal(new Set(fake.events.map((e) => e.id)).size, fake.events.length);
  } finally {
    await running.stop();
    await fake.close();
  }
});

test('an image is uploaded as bytes first, then named by the event', async (t) => {
  const fake = await fakeLedgerbot();
  t.after(() => fake.close());
  const { world, running } = await started(fake, undefined, t);
  try {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    world.zhangsan.say(FileBox.fromBase64(png.toString('base64'), 'call-log.png')).to(world.room);
    await until(() => fake.events.some((e) => e.type === 'message' && e.image), 'the image message');
    const event = fake.events.find((e) => e.type === 'message' && e.image);
    assert.equal(fake.uploads.length, 1);
    assert.deepEqual(fake.uploads[0].bytes, png);
    assert.equal(event.image.upload_id, fake.uploads[0].id);
  } finally {
    await running.stop();
    await fake.close();
  }
});

test('notices are said in rooms and to people, once per notice_id, signed', async (t) => {
  const fake = await fakeLedgerbot();
  t.after(() => fake.close());
  const { world, running } = await started(fake, undefined, t);
  const said = [];
  world.room.on('message', (message) => said.push(message.payload));
  try {
    const notice = { notice_id: 41, template: 'visit_recorded', target: { kind: 'chat', id: world.room.id, channel: 'generic' }, text: '✅ 已记录走访 V1（张三）' };
    assert.equal((await postNotice(running.port, notice)).status, 200);
    await until(() => said.some((p) => p.text === notice.text), 'the text in the room');

    // ledgerbot delivers at least once: the same notice again is answered, not said again.
    const again = await postNotice(running.port, notice);
    assert.equal(again.status, 200);
    assert.equal(again.body.status, 'already_sent');

    const table = { notice_id: 42, target: { kind: 'chat', id: world.room.id }, text: '积分表 2026-W47',
      attachments: [{ file_name: '积分表.xlsx', content_type: 'application/octet-stream', content_base64: Buffer.from('PK…').toString('base64') }] };
    assert.equal((await postNotice(running.port, table)).status, 200);
    await until(() => said.length >= 3, 'the table and its file');
    assert.equal(said.filter((p) => p.text === notice.text).length, 1);

    assert.equal((await postNotice(running.port, { ...notice, notice_id: 43 }, 'not-the-secret')).status, 401);
    assert.equal((await postNotice(running.port, { ...notice, notice_id: 44, target: { kind: 'chat', id: 'gone@chatroom' } })).status, 404);
    const health = await (await fetch(`http://127.0.0.1:${running.port}/healthz`)).json();
    assert.equal(health.logged_in, true);
  } finally {
    await running.stop();
    await fake.close();
  }
});

test('a notice with remove_members removes them by the bot, so WeChat reports a removal', async (t) => {
  const fake = await fakeLedgerbot();
  t.after(() => fake.close());
  const { world, running } = await started(fake, undefined, t, { botOwns: true });
  const said = [];
  world.room.on('message', (message) => said.push(message.payload.text));
  try {
    await until(() => fake.events.some((e) => e.type === 'group_snapshot'), 'the login snapshot');
    assert.equal(fake.events.find((e) => e.type === 'group_snapshot').chat.bot_can_remove, true);
    const notice = { notice_id: 51, template: 'member_removal', target: { kind: 'chat', id: world.room.id, channel: 'generic' },
      text: '应 张三 要求，机器人将 李四 移出本群。', remove_members: [{ id: world.lisi.id }] };
    assert.equal((await postNotice(running.port, notice)).status, 200);
    assert.deepEqual(world.puppet.removals, [{ roomId: world.room.id, contactId: world.lisi.id }]);
    await until(() => said.includes(notice.text), 'the text in the room');
    await until(() => fake.events.some((e) => e.type === 'member_left'), 'the removal event');
    const left = fake.events.find((e) => e.type === 'member_left');
    assert.equal(left.member.id, world.lisi.id);
    assert.equal(left.leave_kind, 'removed');
    assert.equal(left.by.id, world.user.id);

    // Said again under a new id (an operator's retry): the member is gone, nobody is removed twice.
    assert.equal((await postNotice(running.port, { ...notice, notice_id: 52 })).status, 200);
    assert.equal(world.puppet.removals.length, 1);
    // Removing from a person is not a thing.
    const toPerson = { ...notice, notice_id: 53, target: { kind: 'user', id: world.zhangsan.id } };
    assert.equal((await postNotice(running.port, toPerson)).status, 400);
  } finally {
    await running.stop();
    await fake.close();
  }
});

test('a removal in a room the bot does not own is refused with 409 and nothing is said', async (t) => {
  const fake = await fakeLedgerbot();
  t.after(() => fake.close());
  const { world, running } = await started(fake, undefined, t);
  const said = [];
  world.room.on('message', (message) => said.push(message.payload.text));
  try {
    await until(() => fake.events.some((e) => e.type === 'group_snapshot'), 'the login snapshot');
    assert.equal(fake.events.find((e) => e.type === 'group_snapshot').chat.bot_can_remove, false);
    const notice = { notice_id: 61, target: { kind: 'chat', id: world.room.id }, text: '移出 李四', remove_members: [{ id: world.lisi.id }] };
    const answer = await postNotice(running.port, notice);
    assert.equal(answer.status, 409);
    assert.equal(answer.body.error, 'not_permitted');
    assert.equal(world.puppet.removals.length, 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(said, []);
  } finally {
    await running.stop();
    await fake.close();
  }
});

test('while ledgerbot is down events wait on disk and go later under the same id, across a restart', async () => {
  const fake = await fakeLedgerbot();
  fake.up = false;
  const dir = await stateDir();
  const first = await started(fake, dir);
  first.world.zhangsan.say('/积分').to(first.world.room);
  await until(async () => (await first.running.store.pending()).length >= 2, 'spooled events');
  const spooled = await first.running.store.pending();
  const ids = [];
  for (const name of spooled) ids.push((await first.running.store.read(name)).event.id);
  await first.running.stop();
  assert.equal(fake.events.length, 0);

  // A new process on the same folder, with ledgerbot back.
  fake.up = true;
  const second = await started(fake, dir);
  try {
    await until(() => ids.every((id) => fake.events.some((e) => e.id === id)), 'the spooled events delivered');
    assert.ok(fake.events.some((e) => e.type === 'message' && e.text === '/积分'));
  } finally {
    await second.running.stop();
    await fake.close();
  }
});

test('before login: the QR code at /qr, health 503, notices 503 so ledgerbot retries', async () => {
  const fake = await fakeLedgerbot();
  const world = mockWorld();
  const running = await startBridge({ bot: world.bot, env: bridgeEnv(fake, await stateDir()), log: silent });
  const base = `http://127.0.0.1:${running.port}`;
  try {
    world.mocker.scan('https://login.weixin.qq.com/l/mock-qr');
    await until(() => running.bridge.qrCode !== '', 'the QR code');
    const qr = await fetch(`${base}/qr`);
    assert.equal(qr.status, 200);
    assert.match(await qr.text(), /mock-qr/);
    assert.equal((await fetch(`${base}/healthz`)).status, 503);
    const notice = { notice_id: 7, target: { kind: 'chat', id: world.room.id }, text: '积分表' };
    assert.equal((await postNotice(running.port, notice)).status, 503);

    world.mocker.login(world.user);
    await until(() => running.bridge.loggedIn, 'login');
    assert.equal((await fetch(`${base}/qr`)).status, 404);
    assert.equal((await postNotice(running.port, notice)).status, 200);  // the retry goes through
  } finally {
    await running.stop();
    await fake.close();
  }
});
