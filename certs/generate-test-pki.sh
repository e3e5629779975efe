#!/usr/bin/env bash
# Generates a throwaway test PKI for lienthong: one root (the only trust anchor), one
# intermediate, one RSA-2048 signer per demo agency, plus negative material (rogue root, expired
# signer, ECDSA signer). Never use any of it outside tests; the keys are not protected.
#
# Usage: generate-test-pki.sh OUT_DIR [EXTRA_AGENCY_CODE ...]
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 OUT_DIR [EXTRA_AGENCY_CODE ...]" >&2
    exit 2
fi
out=$1
shift

# code|display name of the demo agencies (Nghệ An province, one district branch, communes).
agencies=(
    "000.00.00.H41|UBND tinh Nghe An"
    "000.00.01.H41|UBND huyen Nghi Loc"
    "000.00.02.H41|UBND huyen Dien Chau"
    "000.01.01.H41|UBND xa Nghi Phong"
    "000.02.01.H41|UBND xa Dien Ngoc"
    "000.01.02.H41|UBND xa Nghi Thai"
)
for code in "$@"; do
    agencies+=("$code|$code")
done

# OpenSSL chats on stderr even on success; keep it and show it only if a step fails.
log=$(mktemp)
trap 'rc=$?; if [[ $rc -ne 0 ]]; then cat "$log" >&3; fi; rm -f "$log"' EXIT
exec 3>&2 2>>"$log"

rm -rf "$out"
mkdir -p "$out"/{trust,intermediates,agencies,rogue,expired,ecdsa,work}
work=$out/work
org="/C=VN/O=Lienthong Test PKI"

# A self-contained config (no dependency on the system openssl.cnf): an empty DN section for
# `req -subj`, and one extension section per certificate kind.
cat >"$work/ext.cnf" <<'CNF'
[req]
distinguished_name = dn
[dn]

[root]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[intermediate]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[signer]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

rsa_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1"; }

self_signed_root() {  # key cert subject
    rsa_key "$1"
    openssl req -new -x509 -key "$1" -out "$2" -subj "$3" -days 3650 -sha256 \
        -extensions root -config "$work/ext.cnf"
}

issue() {  # csr_subject key cert issuer_cert issuer_key ext_section
    openssl req -new -config "$work/ext.cnf" -key "$2" -subj "$1" -out "$work/req.csr"
    openssl x509 -req -in "$work/req.csr" -CA "$4" -CAkey "$5" -CAcreateserial \
        -CAserial "$work/serial" -days 1825 -sha256 -extfile "$work/ext.cnf" \
        -extensions "$6" -out "$3"
}

# Root and intermediate.
self_signed_root "$work/root.key" "$out/trust/root.pem" "$org/CN=Lienthong Test Root CA"
rsa_key "$work/intermediate.key"
issue "$org/CN=Lienthong Test Issuing CA" "$work/intermediate.key" \
    "$out/intermediates/intermediate.pem" "$out/trust/root.pem" "$work/root.key" intermediate

# Agency signers, issued by the intermediate.
for entry in "${agencies[@]}"; do
    code=${entry%%|*}
    name=${entry#*|}
    dir=$out/agencies/$code
    mkdir -p "$dir"
    rsa_key "$dir/key.pem"
    issue "$org/OU=$name/CN=$name/UID=$code" "$dir/key.pem" "$dir/cert.pem" \
        "$out/intermediates/intermediate.pem" "$work/intermediate.key" signer
    cat "$dir/cert.pem" "$out/intermediates/intermediate.pem" >"$dir/chain.pem"
done

# Rogue: same UID as a real commune, but issued by a root nobody trusts.
self_signed_root "$work/rogue-root.key" "$out/rogue/root.pem" "/C=VN/O=Rogue/CN=Rogue Root CA"
rsa_key "$out/rogue/key.pem"
issue "$org/CN=UBND xa Nghi Phong/UID=000.01.01.H41" "$out/rogue/key.pem" "$out/rogue/cert.pem" \
    "$out/rogue/root.pem" "$work/rogue-root.key" signer
cat "$out/rogue/cert.pem" >"$out/rogue/chain.pem"

# Expired: issued by the real intermediate, validity entirely in the past. `openssl ca` is the
# only OpenSSL 3.0 command that takes explicit -startdate/-enddate.
mkdir -p "$work/ca"
: >"$work/ca/index.txt"
echo 1000 >"$work/ca/serial"
cat >"$work/ca.cnf" <<CNF
[ca]
default_ca = test_ca
[test_ca]
database = $work/ca/index.txt
serial = $work/ca/serial
new_certs_dir = $work/ca
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
userId = optional
CNF
cat "$work/ext.cnf" >>"$work/ca.cnf"
rsa_key "$out/expired/key.pem"
openssl req -new -config "$work/ext.cnf" -key "$out/expired/key.pem" -subj "$org/CN=UBND xa Nghi Phong/UID=000.01.01.H41" \
    -out "$work/expired.csr"
openssl ca -batch -config "$work/ca.cnf" -in "$work/expired.csr" -out "$out/expired/cert.pem" \
    -cert "$out/intermediates/intermediate.pem" -keyfile "$work/intermediate.key" \
    -startdate 20200101000000Z -enddate 20210101000000Z -extensions signer -notext \
    -preserveDN
cat "$out/expired/cert.pem" "$out/intermediates/intermediate.pem" >"$out/expired/chain.pem"

# ECDSA P-256 signer for the commune, issued by the intermediate.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out/ecdsa/key.pem"
issue "$org/CN=UBND xa Nghi Phong (EC)/UID=000.01.01.H41" "$out/ecdsa/key.pem" "$out/ecdsa/cert.pem" \
    "$out/intermediates/intermediate.pem" "$work/intermediate.key" signer
cat "$out/ecdsa/cert.pem" "$out/intermediates/intermediate.pem" >"$out/ecdsa/chain.pem"

# Revocation: a commune signer issued by the intermediate and then revoked, with the
# intermediate's CRL from before (crl-none/) and after (crl/) the revocation.
mkdir -p "$out"/{revoked,crl,crl-none}
rsa_key "$out/revoked/key.pem"
openssl req -new -config "$work/ext.cnf" -key "$out/revoked/key.pem" \
    -subj "$org/CN=UBND xa Nghi Phong (revoked)/UID=000.01.01.H41" -out "$work/revoked.csr"
intermediate_ca=(-config "$work/ca.cnf" -cert "$out/intermediates/intermediate.pem"
    -keyfile "$work/intermediate.key")
openssl ca -batch "${intermediate_ca[@]}" -in "$work/revoked.csr" -out "$out/revoked/cert.pem" \
    -days 1825 -extensions signer -notext -preserveDN
cat "$out/revoked/cert.pem" "$out/intermediates/intermediate.pem" >"$out/revoked/chain.pem"
openssl ca -gencrl "${intermediate_ca[@]}" -crldays 3650 -out "$out/crl-none/intermediate.crl.pem"
openssl ca -revoke "$out/revoked/cert.pem" "${intermediate_ca[@]}"
openssl ca -gencrl "${intermediate_ca[@]}" -crldays 3650 -out "$out/crl/intermediate.crl.pem"

# Document signatures (PDF): a person of the commune with a Vietnamese name (UTF8String subject),
# issued by the intermediate, in person/; for the readable-name tests of the PDF checks.
mkdir -p "$out/person"
rsa_key "$out/person/key.pem"
openssl req -new -utf8 -config "$work/ext.cnf" -key "$out/person/key.pem" \
    -subj "$org/OU=UBND xã Nghi Phong/CN=Nguyễn Thị Ánh Tuyết/UID=000.01.01.H41" \
    -out "$work/person.csr"
openssl x509 -req -in "$work/person.csr" -CA "$out/intermediates/intermediate.pem" \
    -CAkey "$work/intermediate.key" -CAserial "$work/serial" -days 1825 -sha256 \
    -extfile "$work/ext.cnf" -extensions signer -out "$out/person/cert.pem"
cat "$out/person/cert.pem" "$out/intermediates/intermediate.pem" >"$out/person/chain.pem"

# --- TLS of the REST listener (front door) ---------------------------------------------------
# A TLS CA (tls/ca.pem, also tls/client-ca.pem for the bus's tls.client_ca) issuing the server
# certificate (localhost, 127.0.0.1) and one client certificate per agency (subject UID = agency
# code) in tls/clients/<code>/; plus tls/expired/ (issued by the TLS CA, validity in the past) and
# tls/untrusted/ (issued by a CA nobody trusts), both with the commune's UID. EC keys: fast.
tls=$out/tls
mkdir -p "$tls/clients" "$tls/expired" "$tls/untrusted"
tls_ext=$(cat <<'CNF'

[tls_server]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[tls_client]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
)
echo "$tls_ext" >>"$work/ext.cnf"
echo "$tls_ext" >>"$work/ca.cnf"
ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
ec_root() {  # key cert subject
    ec_key "$1"
    openssl req -new -x509 -key "$1" -out "$2" -subj "$3" -days 3650 -sha256 \
        -extensions root -config "$work/ext.cnf"
}
ec_root "$work/tls-ca.key" "$tls/ca.pem" "$org/CN=Lienthong Test TLS CA"
cp "$tls/ca.pem" "$tls/client-ca.pem"
ec_key "$tls/server-key.pem"
issue "$org/CN=localhost" "$tls/server-key.pem" "$tls/server.pem" "$tls/ca.pem" \
    "$work/tls-ca.key" tls_server
for entry in "${agencies[@]}"; do
    code=${entry%%|*}
    name=${entry#*|}
    mkdir -p "$tls/clients/$code"
    ec_key "$tls/clients/$code/key.pem"
    issue "$org/OU=$name/CN=$name client/UID=$code" "$tls/clients/$code/key.pem" \
        "$tls/clients/$code/cert.pem" "$tls/ca.pem" "$work/tls-ca.key" tls_client
done
ec_key "$tls/expired/key.pem"
openssl req -new -config "$work/ext.cnf" -key "$tls/expired/key.pem" \
    -subj "$org/CN=UBND xa Nghi Phong client/UID=000.01.01.H41" -out "$work/tls-expired.csr"
openssl ca -batch -config "$work/ca.cnf" -in "$work/tls-expired.csr" -out "$tls/expired/cert.pem" \
    -cert "$tls/ca.pem" -keyfile "$work/tls-ca.key" -startdate 20200101000000Z \
    -enddate 20210101000000Z -extensions tls_client -notext -preserveDN
ec_root "$work/tls-rogue.key" "$work/tls-rogue.pem" "/C=VN/O=Rogue/CN=Rogue TLS CA"
ec_key "$tls/untrusted/key.pem"
issue "$org/CN=UBND xa Nghi Phong client/UID=000.01.01.H41" "$tls/untrusted/key.pem" \
    "$tls/untrusted/cert.pem" "$work/tls-rogue.pem" "$work/tls-rogue.key" tls_client

rm -rf "$work"
chmod -R go-rwx "$out"
echo "test PKI: ${#agencies[@]} agencies, rogue, expired, ecdsa, tls -> $out"
