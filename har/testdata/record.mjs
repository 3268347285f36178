// record.mjs records har/testdata/playwright.har: Chromium, driven by
// Playwright, loads a page of the local server and sends fetch() calls to
// it, and Playwright's recordHar writes what the browser sent.
//
// How it was recorded (Node 20, playwright-core 1.65.1, Chromium from
// Debian's chromium package):
//
//	go run ./cmd/localserver -addr 127.0.0.1:18931 &
//	mkdir -p /tmp/pwhar && cd /tmp/pwhar && npm install playwright-core
//	NODE_PATH=/tmp/pwhar/node_modules node har/testdata/record.mjs \
//	    http://127.0.0.1:18931 har/testdata/playwright.har
//
// The token is the local server's development token (no secret).
import { createRequire } from 'node:module';
const require = createRequire(process.env.NODE_PATH + '/');
const { chromium } = require('playwright-core');

const [base, out] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ recordHar: { path: out, content: 'embed' } });
const page = await context.newPage();
// A page of the server's own origin, so that fetch() needs no CORS.
await page.goto(base + '/healthz');
await page.evaluate(async () => {
  const project = '0123456789abcdef0123456789abcdef';
  const headers = { 'Content-Type': 'application/json', 'X-Auth-Token': 'local-dev-token' };
  const network = {
    vpc_id: '05982b48-a70f-43a1-a2b0-1fe36a236172',
    subnet_id: '38cf274a-98f9-4f6f-b622-5ed0e4a3db54',
    security_group_id: '150a2c76-1334-45f6-b28f-419f9b1d1742',
  };
  const send = (method, path, body) => fetch(path, { method, headers, body: body && JSON.stringify(body) }).then(r => r.text());
  // 1. a valid create
  await send('POST', `/v1/${project}/dev-servers`, {
    name: 'dev-01', flavor: 'Si2.large.4', image_id: 'c90fb553-2cdb-4b81-b56a-ef68812c6cf7', network, key_pair_name: 'KeyPair-3d6a',
  });
  // 2. a list with a query string
  await send('GET', `/v1/${project}/dev-servers?limit=10&offset=0`);
  // 3. an invalid create: a name with a space, no login method
  await send('POST', `/v1/${project}/dev-servers`, {
    name: 'dev 01', flavor: 'Si2.large.4', image_id: 'c90fb553-2cdb-4b81-b56a-ef68812c6cf7', network,
  });
  // 4. not one of our operations (an IAM-like path): skipped
  await send('POST', '/v3/auth/tokens', { auth: {} });
});
await context.close(); // writes the HAR
await browser.close();
