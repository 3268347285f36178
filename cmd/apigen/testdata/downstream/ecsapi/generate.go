// README:apigen
// Package ecsapi is our client for ECS.
package ecsapi

//go:generate go tool apigen -api ecs -package ecsapi -generate types,client -o ecs.gen.go
// README:end
