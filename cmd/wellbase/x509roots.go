package main

// The container image is built FROM scratch and has no CA bundle, while Wellbase speaks TLS to AWS
// (S3, KMS, SSM) and to MongoDB Atlas. This package gives crypto/x509 the Mozilla root set
// (golang.org/x/crypto/x509roots/fallback) for use only when the system has no roots of its own;
// a machine with /etc/ssl/certs keeps using those.
import _ "golang.org/x/crypto/x509roots/fallback"
