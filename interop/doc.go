// Package interop holds tests that check this module against Huawei's
// official Go SDK (huaweicloud-sdk-go-v3): the AK/SK signatures are equal
// byte for byte, and the SDK's own ECS and CloudDC clients work against the
// local server. It is a separate module so that the main module does not
// depend on the SDK; `make interop` (part of `make check`) runs it.
package interop
