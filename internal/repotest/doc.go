// Package repotest holds tests about the repository itself rather than about one
// package: that docs/architecture.md lists every Go package, and only packages that exist.
package repotest
