// The web console as its users meet it: Debian's chromium signs in through the fake WeCom (QR
// login on a desktop, OAuth inside the WeCom client), opens every page, approves a score draft,
// acknowledges a risk, and the ledger and the audit trail are checked in the SQLite file.
// Run by ctest (browser.console) with CONSOLE_HOST and SCREENSHOTS set; exit 77 = skipped.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.log(`skipped: no chromium at ${chromium} (scripts/install-deps.sh --test installs it)`);
  process.exit(77);
}
let puppeteer;
try {
  puppeteer = (await import('puppeteer-core')).default;
} catch (e) {
  console.log(`skipped: puppeteer-core is not installed (npm ci --prefix tests/browser): ${e.message}`);
  process.exit(77);
}
const hostBinary = process.env.CONSOLE_HOST;
assert.ok(hostBinary, 'CONSOLE_HOST names the console_browser_host binary');
const screenshots = process.env.SCREENSHOTS || join(here, 'screenshots');
mkdirSync(screenshots, { recursive: true });

const desktop = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36';
const wecomClient = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh';

let host;
let lines;
let ready;
let browser;

// The host's own lines (READY …, HOST …); the service's log shares its standard output.
async function nextLine() {
  for (;;) {
    const { value, done } = await lines.next();
    assert.ok(!done, 'console_browser_host ended early');
    if (value.startsWith('READY ')) return value.slice(6);
    if (value.startsWith('HOST ')) return value.slice(5);
  }
}

async function signInAs(user) {
  host.stdin.write(`user ${user}\n`);
  assert.equal(await nextLine(), 'ok');
}

function sql(query) {
  return execFileSync('sqlite3', [ready.database, query]).toString().trim();
}

async function shot(page, name) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

before(async () => {
  host = spawn(hostBinary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  lines = createInterface({ input: host.stdout })[Symbol.asyncIterator]();
  ready = JSON.parse(await nextLine());
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--lang=zh-CN'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (host) {
    host.stdin.end();
    await new Promise((resolve) => host.on('exit', resolve));
  }
});

test('a line director signs in by the QR login, sees the draft and approves it', async () => {
  await signInAs('zhengshi');
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setUserAgent(desktop);
  await page.setViewport({ width: 1200, height: 900 });

  // Not signed in: to the sign-in page, which remembers where the user was going.
  await page.goto(`${ready.console}/console/scores`);
  assert.match(page.url(), /\/console\/login\?next=/);
  assert.match(await page.$eval('h1', (h) => h.textContent), /登录服务台账/);
  await shot(page, '01-sign-in');

  // The QR login at the (fake) WeCom, back through the callback, on to the score page.
  await Promise.all([page.waitForNavigation(), page.click('#qr-login')]);
  assert.equal(new URL(page.url()).pathname, '/console/scores');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === '__Host-lb_session');
  assert.ok(session, 'the session cookie is set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.secure, true);
  assert.equal(session.sameSite, 'Lax');
  assert.equal(session.path, '/');
  assert.ok(!cookies.find((c) => c.name === '__Host-lb_login'), 'the login state cookie is cleared');

  assert.match(await page.$eval('h1', (h) => h.textContent), /积分表 2026-W47/);
  assert.match(await page.$eval('.who', (w) => w.textContent), /郑十/);
  const rows = await page.$$eval('table.scores tbody tr', (trs) => trs.map((tr) => tr.textContent));
  assert.ok(rows.some((r) => r.includes('宁夏示例科技有限公司')), `rows: ${rows}`);
  assert.ok((await page.$$('svg.chart rect.bar')).length >= 1, 'the week is drawn as bars');
  const version = await page.$eval('.state .version', (v) => v.textContent.trim());
  assert.match(version, /^[0-9a-f]{8}$/);
  await shot(page, '02-scores-draft');

  await Promise.all([page.waitForNavigation(), page.click('form input[value="approve"] ~ button')]);
  assert.match(page.url(), /done=[0-9a-f]{64}/);
  const flash = await page.$eval('.flash', (f) => f.textContent);
  assert.match(flash, /已复核 2026-W47/);
  assert.match(flash, new RegExp(version));
  assert.match(await page.$eval('.state', (s) => s.textContent), /已复核通过/);
  await shot(page, '03-scores-approved');

  assert.equal(sql("SELECT by_id FROM score_reviews WHERE week = '2026-W47' AND line = '业务一线'"), 'zhengshi');
  assert.equal(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'score.reviewed' AND actor = 'zhengshi'"), '1');
  assert.equal(sql("SELECT COUNT(*) FROM inbox WHERE source = 'console' AND status = 'done'"), '1');

  // The risk page covers the line's departments: 星河新材 is 企业服务部.
  await page.goto(`${ready.console}/console/risks`);
  assert.match(await page.$eval('table.risks', (t) => t.textContent), /股权质押比例超过80%/);
  await shot(page, '04-risks-director');

  await Promise.all([page.waitForNavigation(), page.click('form.signout button')]);
  assert.match(await page.$eval('h1', (h) => h.textContent), /已退出/);
  await page.goto(`${ready.console}/console/risks`);
  assert.match(page.url(), /\/console\/login/);
  assert.equal(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'console.signed_out' AND actor = 'zhengshi'"), '1');
  await context.close();
});

test('an account manager inside the WeCom client signs in by OAuth and acknowledges a risk', async () => {
  await signInAs('lisi');
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setUserAgent(wecomClient);
  await page.setViewport({ width: 390, height: 844, isMobile: true });

  await page.goto(`${ready.console}/console/risks`);
  assert.equal(new URL(page.url()).pathname, '/console/risks', 'signed in without a scan');
  assert.match(await page.$eval('.who', (w) => w.textContent), /李四/);
  const risk = await page.$eval('tr#R1', (tr) => tr.textContent);
  assert.match(risk, /待确认/);
  await shot(page, '05-risks-phone');

  await page.type('tr#R1 input[name="note"]', '已暂停推荐，正在核实质押情况');
  await Promise.all([page.waitForNavigation(), page.click('tr#R1 form button')]);
  assert.match(await page.$eval('.flash', (f) => f.textContent), /R1（银川星河新材料股份有限公司）已由 李四/);
  assert.match(await page.$eval('tr#R1', (tr) => tr.textContent), /李四 于 .* 确认：已暂停推荐，正在核实质押情况/);
  await shot(page, '06-risk-acknowledged');

  assert.equal(sql("SELECT acknowledged_by || '|' || ack_note FROM risks WHERE number = 1"), 'lisi|已暂停推荐，正在核实质押情况');
  assert.equal(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'risk.acknowledged' AND actor = 'lisi'"), '1');
  assert.equal(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'console.signed_in' AND actor = 'lisi' AND detail_json LIKE '%oauth%'"), '1');
  // A scores page without a line to approve says so.
  await page.goto(`${ready.console}/console/scores`);
  assert.match(await page.$eval('main', (m) => m.textContent), /没有您可以查看的条线积分表/);
  await context.close();
});

test('someone outside the staff list is refused with a page, not a session', async () => {
  await signInAs('stranger');
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setUserAgent(desktop);
  await page.goto(`${ready.console}/console/risks`);
  const [response] = await Promise.all([page.waitForNavigation(), page.click('#qr-login')]);
  assert.equal(response.status(), 403);
  assert.match(await page.$eval('main', (m) => m.textContent), /不在员工名单中/);
  assert.ok(!(await context.cookies()).find((c) => c.name === '__Host-lb_session'));
  await shot(page, '07-refused');
  await context.close();
});
