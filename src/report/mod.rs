//! Reports: answers written for people and other programs.

mod ical;
