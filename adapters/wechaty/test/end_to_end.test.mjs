// End to end: the real ledgerbot (LEDGERBOT_BINARY) on 127.0.0.1:0 with the demo directory, and
// the bridge with the mock puppet. A report typed in a WeChat room becomes a visit record, and
// ledgerbot's answer reaches the room. Skipped (exit 77 from the ctest wrapper) without the
// binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';


import { startBridge } from '../src/main.mjs';
import { SECRET, mockWorld, silent, stateDir, until } from './support.mjs';

const binary = process.env.LEDGERBOT_BINARY;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

test('a report typed in a WeChat room becomes a visit record, the answer reaches the room, and /移出 removes through the bot', { skip: !binary && 'LEDGERBOT_BINARY is not set' }, async () => {
  const dir = await stateDir();
  const database = join(dir, 'ledgerbot.db');
  // WeChat ids, not staff ids: the staff list maps them (column 微信号). The bot owns the room.
  const { mocker, bot, user, zhangsan, lisi, room, puppet } = mockWorld('wxid_', { botOwns: true });
  const said = [];
  room.on('message', (message) => said.push(message.payload.text));

  // A free port for the bridge first: ledgerbot's outbound_url names it.
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const bridgePort = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));
  let running;

  const config = join(dir, 'ledgerbot.toml');
  await writeFile(config, [
    '[server]', 'listen_port = 0', 'ops_listen_port = 0',
    '[storage]', `database_path = "${database}"`,
    '[log]', 'level = "info"',
    '[schedule]', 'enabled = false',
    '[adapters.generic]', `secret = "${SECRET}"`, `outbound_url = "http://127.0.0.1:${bridgePort}/notices"`, 'console_sink = ""',
  ].join('\n') + '\n');
  execFileSync(binary, ['--config', config, 'migrate'], { stdio: 'ignore' });
  execFileSync(binary, ['--config', config, 'import', 'companies', join(root, 'config/demo/companies.csv')]);
  execFileSync(binary, ['--config', config, 'import', 'staff', join(root, 'config/demo/staff.csv')]);
  const wechatIds = join(dir, 'wechat-ids.csv');
  await writeFile(wechatIds, 'id,name,微信号\nzhangsan,张三,wxid_zhangsan\nlisi,李四,wxid_lisi\n');
  execFileSync(binary, ['--config', config, 'import', 'staff', wechatIds]);
  const ledgerbot = spawn(binary, ['--config', config, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  ledgerbot.stdout.on('data', (chunk) => { output += chunk; });
  ledgerbot.stderr.on('data', (chunk) => { output += chunk; });
  try {
    await until(() => /listening on http:\/\/127\.0\.0\.1:(\d+)/.test(output), 'ledgerbot to listen');
    const port = output.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/)[1];
    const env = { LEDGERBOT_URL: `http://127.0.0.1:${port}`, LEDGERBOT_GENERIC_SECRET: SECRET,
      BRIDGE_LISTEN: `127.0.0.1:${bridgePort}`, BRIDGE_STATE_DIR: join(dir, 'bridge'),
      SNAPSHOT_DELAY_MS: '50', SEND_MIN_INTERVAL_MS: '10' };
    running = await startBridge({ bot, env, log: silent });
    mocker.login(user);
    await until(() => running.bridge.loggedIn, 'login');

    zhangsan.say('【走访记录】\n企业名称：示例科技\n走访时间：昨天 上午10点\n走访方式：实地走访\n'
      + '走访人员：张三\n走访内容：了解年度融资计划\n客户反馈：希望对接银行\n企业联系人：王总 13912345678\n服务需求：股权融资').to(room);
    await until(() => said.some((text) => text && text.includes('V1')), 'the answer in the room');
    const answer = said.find((text) => text && text.includes('V1'));
    assert.match(answer, /宁夏示例科技有限公司|示例科技/);
    assert.doesNotMatch(answer, /13912345678/, 'the phone number is masked in the group');
    const visits = execFileSync('sqlite3', [database, "SELECT company_name || '|' || reporter_id FROM visits"]).toString().trim();
    assert.equal(visits, '宁夏示例科技有限公司|zhangsan');
    const group = execFileSync('sqlite3', [database, "SELECT kind || '|' || bot_can_remove FROM groups WHERE chat_id = 'room-17@chatroom'"]).toString().trim();
    assert.equal(group, 'project|1');

    // The account manager has the bot remove 李四: WeChat reports the removal, recorded as one.
    zhangsan.say('/移出 李四').to(room);
    await until(() => said.some((text) => text && text.includes('移出本群')), 'the removal said in the room');
    assert.deepEqual(puppet.removals, [{ roomId: room.id, contactId: lisi.id }]);
    const sql = (query) => execFileSync('sqlite3', [database, query]).toString().trim();
    await until(() => sql("SELECT left_how FROM group_members WHERE member_id = 'lisi'") === 'removed', 'the removal recorded');
    assert.equal(sql("SELECT COUNT(*) FROM risks WHERE kind = 'self_leave'"), '0');
    assert.equal(sql("SELECT COUNT(*) FROM group_members WHERE member_id LIKE 'wxid_%'"), '0', 'staff are known by their staff ids');
    assert.equal(sql("SELECT group_concat(member_id || ':' || external, ',') FROM (SELECT * FROM group_members ORDER BY member_id)"), 'lisi:0,zhangsan:0', 'the bot is no member');
  } finally {
    const exited = new Promise((resolve) => ledgerbot.on('exit', resolve));
    ledgerbot.kill('SIGTERM');
    await exited;
    if (running) await running.stop();
  }
});
