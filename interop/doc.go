// Package interop holds tests that check this module against other people's
// software:
//
//   - Huawei's official Go SDK (huaweicloud-sdk-go-v3): the AK/SK signatures
//     are equal byte for byte, and the SDK's own ECS and CloudDC clients work
//     against the local server, through the validating transport and
//     through the validating proxy;
//   - Huawei's official Node.js SDK (@huaweicloud/huaweicloud-sdk-core and
//     -ecs, pinned in testdata/nodesdk/package-lock.json), whose signer,
//     unlike the Go SDK's, signs host and Content-Type: its EcsClient,
//     signing with AK/SK, creates a server on the local server (aksk.Verify
//     accepts its signature) and through a validating proxy that re-signs
//     with -upstream-key (an invalid create is answered 400 Ecs.0005, which
//     the SDK surfaces as its error, and never reaches the upstream); through
//     a proxy that passes signatures through, the upstream refuses it (401),
//     because the signature covers the proxy's host; and the verifier
//     accepts the signatures of the SDK's generic client on query strings,
//     bodies and paths the ECS client does not send;
//   - the published bundles (make publish) in third-party OpenAPI tools:
//     Redocly's linter finds nothing, openapi-generator validates them and
//     generates a Go SDK that compiles, Prism's validating mock server
//     accepts and rejects the spec/examples requests as our engine does, and
//     Prism as a validating proxy finds every answer of the local server
//     conforming to the documents.
//
// It is a separate module so that the main module does not depend on the
// SDK; `make interop` (part of `make check`) installs the npm tools pinned in
// publishtools/package-lock.json and the Node.js SDK pinned in
// testdata/nodesdk/package-lock.json (npm ci, no install scripts) and runs
// it. Without node or those packages the tests that need them skip, saying
// why; under CI=1 they fail instead.
package interop
