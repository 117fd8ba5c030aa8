// SPDX-License-Identifier: Apache-2.0
//
// Browser checks of the HTML report, driven by puppeteer-core against
// Debian's chromium; run by tests/html/check.sh, which sets the paths and
// the expected counts (from the JSON report of the same scans) in the
// environment.  Prints one "html: ..." line per check; exits 1 on failure.
'use strict';
const puppeteer = require('puppeteer-core');
const env = process.env;

const failures = [];
function check(ok, what) {
  if (!ok) failures.push(what);
  return ok;
}

// A page, with everything that could go wrong while loading it recorded:
// console messages of any kind (CSP violations are logged as errors),
// uncaught exceptions, and any request but the page itself.
async function open(browser, file, js = true) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => problems.push(`console ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== 'file://' + file) problems.push(`request: ${r.url()}`);
  });
  page.on('dialog', async (d) => {
    problems.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  await page.setJavaScriptEnabled(js);
  await page.setViewport({ width: 1280, height: 2000 });
  await page.goto('file://' + file, { waitUntil: 'load' });
  // Let anything deferred (an onerror on a failed load) happen.
  await new Promise((r) => setTimeout(r, 300));
  return { page, problems };
}

const shown = (page) =>
  page.$eval('#f-count', (e) => e.textContent);

async function verdicts(browser) {
  const { page, problems } = await open(browser, env.V_HTML);
  const scanned = Number(env.V_SCANNED), evidence = Number(env.V_EVIDENCE);
  const state = await page.evaluate(() => ({
    js: document.documentElement.classList.contains('js'),
    filters: getComputedStyle(document.getElementById('filters')).display,
    docs: document.querySelectorAll('article.doc').length,
    rows: document.querySelectorAll('[data-v]').length,
    paths: document.querySelectorAll('.path').length,
    marks: document.querySelectorAll('.ctx mark').length,
    firstSection: document.querySelector('main > section').getAttribute('aria-label'),
    chartBars: document.querySelectorAll('svg.chart rect').length,
  }));
  check(problems.length === 0, `verdicts: ${problems.join(' | ')}`);
  check(state.js, 'verdicts: the page script did not run (CSP hash?)');
  check(state.filters === 'flex', `verdicts: filters not shown with JavaScript (${state.filters})`);
  check(state.docs === evidence, `verdicts: ${state.docs} documents with evidence, expected ${evidence}`);
  check(state.rows === scanned, `verdicts: ${state.rows} filterable documents, expected ${scanned}`);
  check(state.paths === Number(env.V_INPUTS), `verdicts: ${state.paths} paths, expected ${env.V_INPUTS}`);
  check(state.marks > 0, 'verdicts: no highlighted evidence');
  check(state.firstSection === 'Summary', 'verdicts: the summary is not the first section');
  check(state.chartBars > 0, 'verdicts: no bar chart');
  check((await shown(page)) === `${scanned} of ${scanned} documents shown`, `verdicts: count "${await shown(page)}"`);

  // The filters: hide clean documents, then keep one source, then a path.
  const clean = await page.$$eval('[data-v="clean"]', (l) => l.length);
  await page.click('#filters input[value="clean"]');
  check((await shown(page)) === `${scanned - clean} of ${scanned} documents shown`,
    `verdicts: unticking clean shows "${await shown(page)}"`);
  await page.select('#f-src', 'afp');
  const afp = await page.$$eval('[data-v]:not(.off)', (l) => l.map((e) => e.getAttribute('data-src')));
  check(afp.length > 0 && afp.every((s) => s.split(' ').includes('afp')), `verdicts: source filter kept ${afp}`);
  await page.click('#f-all');
  await page.type('#f-q', 'reuters');
  const byPath = await page.$$eval('[data-v]:not(.off) .path', (l) => l.map((e) => e.textContent));
  check(byPath.length === 1 && byPath[0].includes('reuters'), `verdicts: path filter kept ${byPath}`);
  await page.click('#f-all');
  check((await shown(page)) === `${scanned} of ${scanned} documents shown`, 'verdicts: "Show all" did not reset');
  console.log(`html: 2. verdicts: no console message, no request, script ran; ${state.docs} documents with ` +
    `evidence, ${state.marks} highlighted matches; filters by verdict, source and path work`);
  await page.close();

  // Without JavaScript: no dead controls, every document shown.
  const off = await open(browser, env.V_HTML, false);
  const noJs = await off.page.evaluate(() => ({
    filters: getComputedStyle(document.getElementById('filters')).display,
    hidden: [...document.querySelectorAll('[data-v]')].filter((e) => e.offsetParent === null).length,
  }));
  check(off.problems.length === 0, `verdicts without JavaScript: ${off.problems.join(' | ')}`);
  check(noJs.filters === 'none', 'verdicts without JavaScript: the filters are shown');
  check(noJs.hidden === 0, `verdicts without JavaScript: ${noJs.hidden} documents hidden`);
  console.log('html: 2. verdicts without JavaScript: filters hidden, every document shown');
  await off.page.close();
}

async function hostile(browser) {
  const { page, problems } = await open(browser, env.H_HTML);
  const r = await page.evaluate(() => ({
    pwned: typeof window.pwned,
    title: document.title,
    images: document.images.length,
    scripts: document.scripts.length,
    handlers: document.querySelectorAll('[onerror],[onload],[onmouseover]').length,
    strayElements: document.querySelectorAll('.path *:not(.dir):not(.base), .ctx *:not(mark), .where *:not(span):not(code), textarea, style:not(head style)').length,
    svgs: document.querySelectorAll('svg:not(.chart):not(td svg)').length,
    text: document.body.textContent,
    docs: document.querySelectorAll('article.doc').length,
    rows: document.querySelectorAll('[data-v]').length,
    paths: document.querySelectorAll('.path').length,
    js: document.documentElement.classList.contains('js'),
  }));
  check(problems.length === 0, `hostile: ${problems.join(' | ')}`);
  check(r.pwned === 'undefined', 'hostile: a payload ran (window.pwned is set)');
  check(r.title === 'rightscan report', `hostile: the title is "${r.title}"`);
  check(r.images === 0, `hostile: ${r.images} <img> elements`);
  check(r.scripts === 1, `hostile: ${r.scripts} <script> elements`);
  check(r.handlers === 0, `hostile: ${r.handlers} elements with event handlers`);
  check(r.strayElements === 0, `hostile: ${r.strayElements} elements made from scanned text`);
  check(r.svgs === 0, `hostile: ${r.svgs} stray <svg> elements`);
  check(r.js, 'hostile: the page script did not run');
  check(r.docs === Number(env.H_EVIDENCE), `hostile: ${r.docs} documents with evidence, expected ${env.H_EVIDENCE}`);
  check(r.rows === Number(env.H_SCANNED), `hostile: ${r.rows} scanned documents, expected ${env.H_SCANNED}`);
  check(r.paths === Number(env.H_INPUTS), `hostile: ${r.paths} paths, expected ${env.H_INPUTS}`);
  // Shown as text, exactly.
  for (const s of [
    `"><img src=x onerror=window.pwned=1;document.title='PWNED'>.txt`,
    `<script>window.pwned=7;document.title='PWNED'</script>.txt`,
    '<b onmouseover=window.pwned=8>blob.bin',
    '<img src=x onerror=window.pwned=9>Evil & Co\'s',
    '</script><script>window.pwned=10</script> Evil\'s notice',
    '<script>window.pwned=4</script>',
    'column <img src=x onerror=window.pwned=6>',
    'esc\u241b[31mred\u240aline.txt',
    '<script>window.pwned=2;document.title="PWNED"</script> \ufffdevil\nLYON',
    '</textarea></style><svg onload=window.pwned=3>',
    'bad\ufffdname.txt',
  ]) check(r.text.includes(s), `hostile: the text ${JSON.stringify(s)} is not shown`);
  console.log(`html: 3. hostile: no payload ran (window.pwned ${r.pwned}, title "${r.title}", ` +
    `${r.images} images, ${r.scripts} script), every payload shown as text, ${r.paths} paths listed`);
  await page.close();
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: env.CHROMIUM,
    headless: true,
    userDataDir: env.PROFILE,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Each part runs even when the one before failed, and every failure
  // found is reported.
  for (const part of [verdicts, hostile]) {
    try {
      await part(browser);
    } catch (e) {
      failures.push(`${part.name}: ${e && e.message ? e.message : e}`);
    }
  }
  await browser.close();
  if (failures.length) {
    for (const f of failures) console.log(`FAIL: ${f}`);
    process.exit(1);
  }
})().catch((e) => {
  console.log(`FAIL: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
