//! Sets of bytes, and where the first byte of a text in a set is, looked
//! up eight bytes at a time: most summary text runs for dozens of bytes
//! between two bytes that matter to its scan or its escaping, and eight
//! independent lookups with one branch are several times faster than a
//! branch a byte (issue 23 §7).

/// A set of bytes, by value.
#[derive(Debug)]
pub(crate) struct ByteSet([bool; 256]);

impl ByteSet {
    /// The set of `bytes`.
    pub(crate) const fn of(bytes: &[u8]) -> Self {
        Self([false; 256]).with(bytes)
    }

    /// The ASCII control characters (below 0x20, and 0x7f) but `kept`.
    pub(crate) const fn ascii_controls_but(kept: &[u8]) -> Self {
        let mut set = [false; 256];
        let mut byte = 0;
        while byte < 0x20 {
            set[byte] = true;
            byte += 1;
        }
        set[0x7f] = true;
        let mut at = 0;
        while at < kept.len() {
            set[kept[at] as usize] = false;
            at += 1;
        }
        Self(set)
    }

    /// This set and `bytes`.
    pub(crate) const fn with(self, bytes: &[u8]) -> Self {
        let Self(mut set) = self;
        let mut at = 0;
        while at < bytes.len() {
            set[bytes[at] as usize] = true;
            at += 1;
        }
        Self(set)
    }

    /// The set of the bytes whose place in `members` holds `true`.
    pub(crate) const fn from_members(members: [bool; 256]) -> Self {
        Self(members)
    }

    pub(crate) fn contains(&self, byte: u8) -> bool {
        self.0.get(usize::from(byte)).copied().unwrap_or(false)
    }

    /// The index of the first byte of `bytes` in the set.
    pub(crate) fn find(&self, bytes: &[u8]) -> Option<usize> {
        let mut at = 0;
        for chunk in bytes.chunks_exact(8) {
            if chunk
                .iter()
                .fold(false, |any, &byte| any | self.contains(byte))
            {
                break;
            }
            at += 8;
        }
        let rest = bytes.get(at..)?;
        rest.iter()
            .position(|&byte| self.contains(byte))
            .map(|found| at + found)
    }

    /// The index of the first byte of `bytes` in the set, or its length.
    pub(crate) fn find_or_end(&self, bytes: &[u8]) -> usize {
        self.find(bytes).unwrap_or(bytes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::ByteSet;

    #[test]
    fn finds_the_first_byte_of_the_set_wherever_it_is() {
        let set = ByteSet::of(b"&<\xc2");
        for len in 0..40 {
            for at in 0..=len {
                let mut text = vec![b'a'; len];
                for &special in b"&<\xc2" {
                    if let Some(byte) = text.get_mut(at) {
                        *byte = special;
                    }
                    // A second one later never hides the first.
                    if let Some(byte) = text.get_mut(at + 9) {
                        *byte = b'<';
                    }
                    let expected = (at < len).then_some(at);
                    assert_eq!(set.find(&text), expected, "{len} bytes, the first at {at}");
                    assert_eq!(set.find_or_end(&text), expected.unwrap_or(len));
                }
            }
        }
    }

    fn held(set: &ByteSet) -> Vec<u8> {
        (0..=255).filter(|&byte| set.contains(byte)).collect()
    }

    #[test]
    fn holds_exactly_its_bytes() {
        assert_eq!(held(&ByteSet::of(b"\n*`")), b"\n*`");
        let controls = ByteSet::ascii_controls_but(b"\t\n").with(b"\xc2");
        let mut expected: Vec<u8> = (0..0x20)
            .filter(|&byte| byte != b'\t' && byte != b'\n')
            .collect();
        expected.extend([0x7f, 0xc2]);
        assert_eq!(held(&controls), expected);
    }
}
