//! Any bytes as a digest ledger: parsed or refused with an error, never a
//! panic. A torn last line is cut at a point where the rest parses cleanly.
//! A compacted ledger that parses says what the ledger said: the same
//! digests, and every recipient where it stood.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use oyez::digest::ledger::Ledger;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("digests.ledger");
    let Ok(ledger) = Ledger::parse(path, data) else { return };
    for digest in &ledger.digests {
        assert!(digest.window.start <= digest.window.end, "window ends before it starts");
        let _ = ledger.fresh_id(&digest.record.id);
    }
    let compacted = ledger.compacted().map(|text| Ledger::parse(path, &text));
    if let Some(Ok(again)) = compacted {
        assert_eq!(again.digests.len(), ledger.digests.len());
        for (before, after) in ledger.digests.iter().zip(&again.digests) {
            assert_eq!((&before.record.id, before.window), (&after.record.id, after.window));
            for to in &before.record.recipients {
                assert_eq!(before.status(to), after.status(to), "{to}");
            }
        }
    }
    if let Some(torn) = ledger.torn {
        let valid = usize::try_from(torn.valid_len).expect("length fits");
        assert!(valid <= data.len());
        let clean = Ledger::parse(path, &data[..valid]).expect("the part before a torn line parses");
        assert!(clean.torn.is_none());
        assert_eq!(clean.digests.len(), ledger.digests.len());
    }
});
