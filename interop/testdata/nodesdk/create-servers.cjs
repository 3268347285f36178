// Creates ECS servers with Huawei Cloud's official Node.js SDK: EcsClient,
// signed with AK/SK (BasicCredentials), against the endpoint given. The Go
// test TestNodeSDK (interop/nodesdk_test.go) runs it against the local
// server and the validating proxy; `make interop` installs the SDK pinned in
// package-lock.json beside this file (npm ci).
//
// Input, from the environment, so that the secret key is in no command line:
//   HWSPEC_ENDPOINT    e.g. http://127.0.0.1:8080
//   HWSPEC_AK, HWSPEC_SK, HWSPEC_PROJECT
// Arguments: one server name per CreateServers call, made in order (a name
// with a space is invalid for ECS: the engine refuses it). A create that
// succeeds is followed by a ShowJob of its job (a GET, signed without a body).
// Output: one JSON line per create on stdout, and nothing else:
//   {"name":…,"ok":true,"status":200,"job_id":…,"job_status":"INIT"}
//   {"name":…,"ok":false,"status":400,"error_code":"Ecs.0005","error_msg":…}
// (a ShowJob that fails turns the line into the second form).
// The SDK's own log is switched off: on an error it prints the request's
// configuration, Authorization header (the signature) included.
'use strict';

const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
const { Logger4jInstance } = require('@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger');
const ecs = require('@huaweicloud/huaweicloud-sdk-ecs');

Logger4jInstance.level = 'off';

function env(name) {
  const v = process.env[name];
  if (!v) {
    process.stderr.write(`create-servers: ${name} is not set\n`);
    process.exit(2);
  }
  return v;
}

async function main(names) {
  const credentials = new BasicCredentials()
    .withAk(env('HWSPEC_AK'))
    .withSk(env('HWSPEC_SK'))
    .withProjectId(env('HWSPEC_PROJECT'));
  const client = ecs.EcsClient.newBuilder()
    .withCredential(credentials)
    .withEndpoint(env('HWSPEC_ENDPOINT'))
    .build();
  for (const name of names) {
    const server = new ecs.PrePaidServer()
      .withImageRef('67f433d8-ed0e-4321-a8a2-a71838539e09')
      .withFlavorRef('s6.small.1')
      .withName(name)
      .withVpcid('2a6f4aa6-d93e-45f5-a8cb-b030dbf8cd68')
      .withNics([new ecs.PrePaidServerNic().withSubnetId('ef039b60-6a14-42d1-963b-687b627fea08')])
      .withRootVolume(new ecs.PrePaidServerRootVolume().withVolumetype('SSD'));
    const request = new ecs.CreateServersRequest()
      .withBody(new ecs.CreateServersRequestBody().withServer(server));
    let line;
    try {
      const res = await client.createServers(request);
      const job = await client.showJob(new ecs.ShowJobRequest().withJobId(res.job_id));
      line = { name, ok: true, status: res.httpStatusCode, job_id: res.job_id, job_status: job.status };
    } catch (e) {
      line = { name, ok: false, status: e.httpStatusCode, error_code: e.errorCode, error_msg: e.errorMsg || String(e.message) };
    }
    process.stdout.write(JSON.stringify(line) + '\n');
  }
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`create-servers: ${e && e.name}: ${e && e.message}\n`);
  process.exit(1);
});
