//! `[feeds] update_period` (issue 23): how often the catalogue changes,
//! which RSS feeds tell readers (`ttl`, `sy:updatePeriod`); the digest's
//! cadence when it is not given, nothing when neither is.

use toml::Spanned;

use crate::catalogue::model::{Every, UpdatePeriod};

use super::checker::Checker;

/// The period `value` names, else the one of the digest's `cadence`.
pub(super) fn update_period(
    check: &mut Checker<'_>,
    value: Option<&Spanned<String>>,
    cadence: Option<Every>,
) -> Option<UpdatePeriod> {
    let Some(value) = value else {
        return cadence.map(UpdatePeriod::from);
    };
    let mut known = UpdatePeriod::ALL.into_iter();
    let found = known.find(|period| period.name() == value.get_ref());
    if found.is_none() {
        check.error(
            &value.span(),
            format!("unknown `update_period` {:?}", value.get_ref()),
            "write hourly, daily, weekly or monthly",
        );
    }
    found
}
