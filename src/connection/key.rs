//! The API key's fingerprint: a short hash that tells keys apart without revealing them (kept with saved jobs).

/// FNV-1a (64 bit) of the trimmed key, as 16 hex digits. Not a secret and not reversible to the key.
pub fn key_fingerprint(key: &str) -> String {
    fingerprint([key.trim().as_bytes()])
}

/// FNV-1a (64 bit) of the parts one after the other, as 16 hex digits: tells contents apart (a key, a file and
/// what it was read with), not a protection against anyone.
pub fn fingerprint<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in parts.into_iter().flatten() {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_tell_keys_apart_and_hide_them() {
        let a = key_fingerprint("demo-key");
        assert_eq!(a, key_fingerprint(" demo-key "));
        assert_ne!(a, key_fingerprint("limited-key"));
        assert_eq!(a.len(), 16);
        assert!(!a.contains("demo"));
        assert_eq!(
            fingerprint([b"demo".as_slice(), b"-key".as_slice()]),
            a,
            "parts are hashed as one"
        );
        assert_ne!(fingerprint([b"demo-kex".as_slice()]), a);
    }
}
