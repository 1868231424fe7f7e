//! The shape most state files share: `#` comment lines, then one JSON
//! object a line, read and written whole.

use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{File, StateError};

/// The records of `file` in the catalogue `root`, in file order; none when
/// it does not exist. A line that is not a `what` stops with `FILE:LINE`.
pub(super) fn read<T: DeserializeOwned>(
    root: &Path,
    file: File,
    what: &str,
) -> Result<Vec<T>, StateError> {
    let Some(bytes) = super::read(root, file)? else {
        return Ok(Vec::new());
    };
    let text = String::from_utf8_lossy(&bytes);
    let parse = |(line, record): (usize, &str)| {
        serde_json::from_str(record).map_err(|err| StateError::Corrupt {
            path: file.shown(),
            line,
            reason: format!("not {what}: {err}"),
        })
    };
    super::records(&text).map(parse).collect()
}

/// Replaces `file` with `header` and one line per record.
pub(super) fn write<T: Serialize>(
    root: &Path,
    file: File,
    header: &str,
    records: &[T],
) -> Result<(), StateError> {
    let mut out = header.as_bytes().to_vec();
    records.iter().for_each(|record| push(&mut out, record));
    super::write(root, file, &out)
}

/// `value` as one JSON line at the end of `out`.
pub(super) fn push(out: &mut Vec<u8>, value: &impl Serialize) {
    // State records hold strings, numbers and dates: they always serialise.
    if serde_json::to_writer(&mut *out, value).is_ok() {
        out.push(b'\n');
    }
}
