//! The lifecycle of an agreement: which changes of [`Status`] make sense.

use chrono::NaiveDate;

use crate::agreement::{Agreement, Status, StatusChange};

impl Status {
    /// The statuses this one may change to, in file order: the lifecycle of
    /// an agreement.
    ///
    /// | from \ to      | proposed | active | under review | suspended | terminated |
    /// | ---            | :---:    | :---:  | :---:        | :---:     | :---:      |
    /// | proposed       |          | yes    |              |           | yes        |
    /// | active         |          |        | yes          | yes       | yes        |
    /// | under review   |          | yes    |              | yes       | yes        |
    /// | suspended      |          | yes    | yes          |           | yes        |
    /// | terminated     |          |        |              |           |            |
    ///
    /// - Nothing goes back to proposed: once in force, an agreement has a
    ///   history that a proposal does not.
    /// - A proposal is not reviewed or suspended: it goes into force or is
    ///   dropped (terminated).
    /// - Terminated is final; a new collaboration is a new agreement.
    /// - A status never "changes" to itself.
    ///
    /// [`Registry::set_status`](crate::Registry::set_status) applies this table;
    /// the rules of the whole record apply too, so an agreement cannot go active
    /// (or under review) with fewer than two members. Each change is kept in
    /// [`Agreement::status`](crate::Agreement::status) with the day it takes
    /// effect and the day it was entered ([`StatusChange`](crate::StatusChange)).
    ///
    /// # Example
    ///
    /// ```
    /// use collab_registry::Status;
    /// assert_eq!(Status::Proposed.next_statuses(), [Status::Active, Status::Terminated]);
    /// assert!(Status::Terminated.next_statuses().is_empty());
    /// ```
    pub fn next_statuses(&self) -> &'static [Status] {
        match self {
            Status::Proposed => &[Status::Active, Status::Terminated],
            Status::Active => &[Status::UnderReview, Status::Suspended, Status::Terminated],
            Status::UnderReview => &[Status::Active, Status::Suspended, Status::Terminated],
            Status::Suspended => &[Status::Active, Status::UnderReview, Status::Terminated],
            Status::Terminated => &[],
        }
    }

    /// Whether an agreement in this status may change to `next`.
    pub fn can_change_to(&self, next: Status) -> bool {
        self.next_statuses().contains(&next)
    }
}

impl Agreement {
    /// The change that terminated the agreement by `date`, if one did.
    /// Terminated is final, so it can only be the last change.
    pub fn terminated_by(&self, date: NaiveDate) -> Option<&StatusChange> {
        self.status
            .last()
            .filter(|c| c.status == Status::Terminated && c.from <= date)
    }
}
