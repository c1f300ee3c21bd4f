// Package assets holds the files compiled into the app: the Japanese font, the icon and
// the J-LIS trust anchors.
package assets
