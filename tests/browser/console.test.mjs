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
  assert.match(await page.$eval('#ranking', (r) => r.textContent), /2026 年度积分排名[\s\S]*市场发展部/);
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

  // 台账: the line's demands, filtered, and the export with the 第七条 columns.
  await page.goto(`${ready.console}/console/ledger`);
  const ledger = await page.$eval('table.ledger', (t) => t.textContent);
  assert.match(ledger, /股权融资/);
  assert.match(ledger, /挂牌辅导/);
  await shot(page, '05-ledger');
  await page.goto(`${ready.console}/console/ledger?company=${encodeURIComponent('星河')}`);
  assert.match(await page.$eval('main', (m) => m.textContent), /没有符合条件的需求/);
  const csv = await page.evaluate(async () => {
    const response = await fetch('/console/ledger/export?format=csv&company=&department=&status=');
    return { type: response.headers.get('content-type'), text: await response.text() };
  });
  assert.match(csv.type, /text\/csv/);
  assert.match(csv.text, /需求编号.*企业全称/);
  assert.match(csv.text, /D1.*宁夏示例科技有限公司.*股权融资/);

  // 走访: the record with its fields and evidence image; the director spot-checks it.
  await page.goto(`${ready.console}/console/visits?quarter=2026-Q4`);
  assert.match(await page.$eval('table.visits', (t) => t.textContent), /V1.*宁夏示例科技有限公司/s);
  await Promise.all([page.waitForNavigation(), page.click('table.visits a[href*="v=V1"]')]);
  assert.match(await page.$eval('table.fields', (t) => t.textContent), /希望对接银行/);
  // The image is loading="lazy": the page's load event does not wait for it, so wait for the
  // image itself (a busy machine once checked it before it had arrived).
  await page.waitForFunction(() => document.querySelector('.evidence img')?.complete, {
    timeout: 10000,
  });
  const loaded = await page.$eval('.evidence img', (img) => img.naturalWidth);
  assert.equal(loaded, 64, 'the evidence image is served to the director');
  await shot(page, '06-visit');
  await page.select('form.review select[name="finding"]', 'omission');
  await page.type('form.review input[name="note"]', '缺少企业经营情况');
  await Promise.all([page.waitForNavigation(), page.click('form.review button')]);
  assert.match(await page.$eval('.flash', (f) => f.textContent), /V1/);
  assert.match(await page.$eval('main', (m) => m.textContent), /遗漏：缺少企业经营情况/);
  await shot(page, '07-visit-checked');
  assert.equal(sql("SELECT kind || '|' || by_id FROM visit_findings WHERE visit_number = 1"), 'omission|zhengshi');

  // 覆盖: the quarter's coverage of the line's companies.
  await page.goto(`${ready.console}/console/coverage?quarter=2026-Q4`);
  const coverage = await page.$eval('table.coverage', (t) => t.textContent);
  assert.match(coverage, /宁夏示例科技有限公司/);
  assert.match(coverage, /未覆盖/);  // 星河新材 has no visit this quarter
  await shot(page, '08-coverage');


  // 群: the line's project groups with their members and timeline.
  await page.goto(`${ready.console}/console/groups`);
  const group = await page.$eval('section.group', (g) => g.textContent);
  assert.match(group, /宁夏示例科技有限公司服务项目专属服务群/);
  assert.match(group, /周八-合规质效督办/);
  assert.match(group, /昵称缺少工种或职务/);  // 李四's bare name
  await shot(page, '09-groups');

  // 审计 and 运维 are not the director's.
  const refused = await page.goto(`${ready.console}/console/audit`);
  assert.equal(refused.status(), 403);
  // Still signed in on the refusal: who they are, the way back, and sign-out.
  assert.match(await page.$eval('.who', (w) => w.textContent), /郑十/);
  assert.ok(await page.$('form.signout button'), 'sign-out on the refusal page');
  assert.ok(!(await page.$('nav a[href="/console/audit"]')), 'no link to a page they may not open');
  await Promise.all([page.waitForNavigation(), page.click('nav a[href="/console/risks"]')]);
  assert.equal(new URL(page.url()).pathname, '/console/risks');

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
  await shot(page, '10-risks-phone');

  await page.type('tr#R1 input[name="note"]', '已暂停推荐，正在核实质押情况');
  await Promise.all([page.waitForNavigation(), page.click('tr#R1 form button')]);
  assert.match(await page.$eval('.flash', (f) => f.textContent), /R1（银川星河新材料股份有限公司）已由 李四/);
  assert.match(await page.$eval('tr#R1', (tr) => tr.textContent), /李四 于 .* 确认：已暂停推荐，正在核实质押情况/);
  await shot(page, '11-risk-acknowledged');

  assert.equal(sql("SELECT acknowledged_by || '|' || ack_note FROM risks WHERE number = 1"), 'lisi|已暂停推荐，正在核实质押情况');
  assert.equal(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'risk.acknowledged' AND actor = 'lisi'"), '1');
  assert.equal(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'console.signed_in' AND actor = 'lisi' AND detail_json LIKE '%oauth%'"), '1');
  // A scores page without a line to approve says so.
  await page.goto(`${ready.console}/console/scores`);
  assert.match(await page.$eval('main', (m) => m.textContent), /没有您可以查看的条线积分表/);
  // The account manager's ledger is their own company's: no demand of 示例科技.
  await page.goto(`${ready.console}/console/ledger`);
  assert.doesNotMatch(await page.$eval('main', (m) => m.textContent), /宁夏示例科技有限公司/);
  await context.close();
});

test('compliance verifies the audit trail; the administrator sees operations', async () => {
  await signInAs('zhouba');
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setUserAgent(desktop);
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(`${ready.console}/console/audit`);
  await Promise.all([page.waitForNavigation(), page.click('#qr-login')]);
  assert.equal(new URL(page.url()).pathname, '/console/audit');
  const trail = await page.$eval('table.audit', (t) => t.textContent);
  assert.match(trail, /risk\.acknowledged/);
  assert.match(trail, /score\.reviewed/);
  await Promise.all([page.waitForNavigation(), page.click('#verify')]);
  assert.match(await page.$eval('#verify-result', (r) => r.textContent), /审计日志完整/);
  await shot(page, '12-audit-verified');
  assert.equal(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'console.audit_verified' AND actor = 'zhouba'"), '1');

  await page.goto(`${ready.console}/console/operations`);
  assert.match(await page.$eval('main', (m) => m.textContent), /定时任务/);
  await shot(page, '13-operations');
  // Compliance sees every risk, and the evidence of any record.
  await page.goto(`${ready.console}/console/risks`);
  assert.match(await page.$eval('table.risks', (t) => t.textContent), /R1/);
  await context.close();
});

test('a colleague without a role in a record sees neither it nor its evidence', async () => {
  await signInAs('wangwu');  // 投行业务部: manages 贺兰山酒庄 only
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setUserAgent(desktop);
  await page.goto(`${ready.console}/console/visits?v=V1`);
  const [record] = await Promise.all([page.waitForNavigation(), page.click('#qr-login')]);
  assert.equal(record.status(), 404);
  assert.match(await page.$eval('main', (m) => m.textContent), /不在您可以查看的范围内/);
  const sha = sql('SELECT sha256 FROM visit_evidence WHERE visit_number = 1');
  assert.match(sha, /^[0-9a-f]{64}$/);
  const image = await page.goto(`${ready.console}/console/evidence?v=V1&sha=${sha}`);
  assert.equal(image.status(), 404);
  assert.equal(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'console.refused' AND actor = 'wangwu' AND subject = 'V1'"), '2');
  await page.goto(`${ready.console}/console/visits?quarter=2026-Q4`);
  assert.match(await page.$eval('main', (m) => m.textContent), /共 0 条/);
  const csv = await page.evaluate(async () => (await fetch('/console/ledger/export?format=csv')).text());
  assert.doesNotMatch(csv, /宁夏示例科技有限公司/);
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
  await shot(page, '14-refused');
  await context.close();
});

test('a long ledger and audit trail come a page at a time, the pages linked', async () => {
  host.stdin.write('reports 100\n');  // 200 more demands, 300 more audit entries
  assert.equal(await nextLine(), 'ok');
  await signInAs('zhengshi');
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setUserAgent(desktop);
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(`${ready.console}/console/ledger?status=open`);
  await Promise.all([page.waitForNavigation(), page.click('#qr-login')]);
  assert.equal(new URL(page.url()).pathname, '/console/ledger');
  const total = Number(sql("SELECT COUNT(*) FROM demands WHERE status IN ('collected', 'planned', 'contracted')"));
  assert.ok(total > 200, `open demands: ${total}`);
  const rows = () => page.$$eval('table.ledger tbody tr', (trs) => trs.map((tr) => tr.id));
  const first = await rows();
  assert.equal(first.length, 100);
  assert.match(await page.$eval('p.summary', (p) => p.textContent), new RegExp(`共 ${total} 条.*本页第 1–100 条`));
  assert.match(await page.$eval('nav.pager', (n) => n.textContent), /第 1 \/ 3 页/);
  // The next page keeps the filter (status=open) and continues where the first ended.
  await Promise.all([page.waitForNavigation(), page.click('#page-next')]);
  assert.equal(new URL(page.url()).searchParams.get('status'), 'open');
  assert.equal(new URL(page.url()).searchParams.get('page'), '2');
  const second = await rows();
  assert.equal(second.length, 100);
  assert.equal(Number(second[0].slice(1)), Number(first[99].slice(1)) - 1);
  await page.setViewport({ width: 390, height: 844 });  // a phone
  await page.$eval('nav.pager', (n) => n.scrollIntoView({ block: 'end' }));
  await page.screenshot({ path: join(screenshots, '15-ledger-pager-phone.png') });
  await Promise.all([page.waitForNavigation(), page.click('#page-prev')]);
  assert.deepEqual(await rows(), first);
  await context.close();

  await signInAs('zhouba');
  const audit = await browser.createBrowserContext();
  const trail = await audit.newPage();
  await trail.setUserAgent(desktop);
  await trail.goto(`${ready.console}/console/audit`);
  await Promise.all([trail.waitForNavigation(), trail.click('#qr-login')]);
  const seqs = () => trail.$$eval('table.audit td.num', (tds) => tds.map((td) => Number(td.textContent)));
  const newest = await seqs();
  assert.equal(newest.length, 300);
  await Promise.all([trail.waitForNavigation(), trail.click('#older')]);
  const older = await seqs();
  assert.ok(older.length > 0);
  assert.equal(older[0], newest[299] - 1);
  await shot(trail, '16-audit-older');
  await audit.close();
});
