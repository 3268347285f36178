// Package interop holds tests that check this module against other people's
// software:
//
//   - Huawei's official Go SDK (huaweicloud-sdk-go-v3): the AK/SK signatures
//     are equal byte for byte, and the SDK's own ECS and CloudDC clients work
//     against the local server;
//   - the published bundles (make publish) in third-party OpenAPI tools:
//     Redocly's linter finds nothing, openapi-generator validates them and
//     generates a Go SDK that compiles, Prism's validating mock server
//     accepts and rejects the spec/examples requests as our engine does, and
//     Prism as a validating proxy finds every answer of the local server
//     conforming to the documents.
//
// It is a separate module so that the main module does not depend on the
// SDK; `make interop` (part of `make check`) installs the npm tools pinned in
// publishtools/package-lock.json and runs it.
package interop
