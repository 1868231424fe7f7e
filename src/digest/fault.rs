//! Fault injection for the digest crash tests, compiled into debug builds
//! only. `OYEZ_FAULT=STEP:ADDRESS` makes `oyez digest --send` stop at STEP
//! for ADDRESS: it prints `oyez: fault injection: paused at STEP:ADDRESS` to
//! stderr and waits forever, so a test can SIGKILL it exactly there. These
//! are the two points no SMTP server can hold the sender at:
//!
//! - `before-attempting`: the session is open, `attempting` not yet written;
//! - `before-accepted`: the server's 250 has been read, `accepted` not yet
//!   written.
//!
//! Compaction (`ledger/compact.rs`) stops at `before-compact-rename` (the
//! new ledger written beside the old one) and `after-compact-rename` (in
//! place, the folder not yet fsynced), with the ledger's file name for
//! ADDRESS; `keep-lines:NAME` leaves ledger NAME uncompacted, so that a
//! test can read every line a run wrote.
//!
//! A release build ignores the variable.

/// Stops here forever when `OYEZ_FAULT` names this step and recipient.
#[cfg(debug_assertions)]
pub(crate) fn pause(step: &str, to: &str) {
    if !named(step, to) {
        return;
    }
    eprintln!("oyez: fault injection: paused at {step}:{to}");
    loop {
        std::thread::park();
    }
}

#[cfg(not(debug_assertions))]
pub(crate) fn pause(_step: &str, _to: &str) {}

/// Whether `OYEZ_FAULT` names this step and subject.
#[cfg(debug_assertions)]
pub(crate) fn named(step: &str, subject: &str) -> bool {
    std::env::var("OYEZ_FAULT").is_ok_and(|fault| fault.split_once(':') == Some((step, subject)))
}

#[cfg(not(debug_assertions))]
pub(crate) fn named(_step: &str, _subject: &str) -> bool {
    false
}
