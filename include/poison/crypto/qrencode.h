/*
 * qrencode.h — a poisoned stand-in for libqrencode's header. It sits first
 * on the include path of every layer but crypto: the one QR code pdvault
 * draws carries a TOTP secret (the enrolment's otpauth:// URI), so it is
 * drawn where the secret is held, in src/crypto/auth.c.
 * docs/internals/layers.md says why.
 */
#error "qrencode.h belongs to src/crypto only (docs/internals/layers.md)"
