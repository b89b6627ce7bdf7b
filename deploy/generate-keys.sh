#!/usr/bin/env bash
# Makes an RS256 key pair for a self-issued token setup: privateKey.pem signs (keep it in your
# secret store), publicKey.pem goes to OFFLOAD_JWT_PUBLIC_KEY_LOCATION.
set -euo pipefail
dir=${1:-.}
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/privateKey.pem"
openssl pkey -in "$dir/privateKey.pem" -pubout -out "$dir/publicKey.pem"
chmod 600 "$dir/privateKey.pem"
echo "wrote $dir/privateKey.pem and $dir/publicKey.pem"
