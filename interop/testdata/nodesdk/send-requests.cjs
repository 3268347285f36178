// Sends requests through the official Node.js SDK's generic client
// (HcClient, which every generated client such as EcsClient uses), signed
// with AK/SK (BasicCredentials), so that the Go test TestNodeSDKSignatures
// (interop/nodesdk_test.go) can check what aksk.Verify says of the SDK's
// signature on requests the ECS client alone does not make: query strings,
// other content types, other services' paths.
//
// Input: HWSPEC_ENDPOINT, HWSPEC_AK, HWSPEC_SK, HWSPEC_PROJECT in the
// environment, and on stdin a JSON array of requests as the generated
// clients describe them:
//   [{"method":"GET","url":"/v1/{project_id}/dev-servers","contentType":"application/json",
//     "queryParams":{"limit":5},"pathParams":{},"headers":{},"data":…}, …]
// Output: one JSON line per request on stdout, and nothing else:
//   {"status":200} or {"status":400,"error_code":"ModelArts.0104"}
// The SDK's own log is switched off: on an error it prints the request's
// configuration, Authorization header (the signature) included.
'use strict';

const fs = require('fs');
const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder');
const { Logger4jInstance } = require('@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger');

Logger4jInstance.level = 'off';

function env(name) {
  const v = process.env[name];
  if (!v) {
    process.stderr.write(`send-requests: ${name} is not set\n`);
    process.exit(2);
  }
  return v;
}

async function main() {
  const requests = JSON.parse(fs.readFileSync(0, 'utf8'));
  const credentials = new BasicCredentials()
    .withAk(env('HWSPEC_AK'))
    .withSk(env('HWSPEC_SK'))
    .withProjectId(env('HWSPEC_PROJECT'));
  const client = new ClientBuilder((hcClient) => hcClient)
    .withCredential(credentials)
    .withEndpoint(env('HWSPEC_ENDPOINT'))
    .build();
  for (const options of requests) {
    let line;
    try {
      const res = await client.sendRequest(options);
      line = { status: res.httpStatusCode };
    } catch (e) {
      line = { status: e.httpStatusCode, error_code: e.errorCode };
    }
    process.stdout.write(JSON.stringify(line) + '\n');
  }
}

main().catch((e) => {
  process.stderr.write(`send-requests: ${e && e.name}: ${e && e.message}\n`);
  process.exit(1);
});
