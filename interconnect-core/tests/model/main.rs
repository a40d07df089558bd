//! Integration tests of the domain model, in one binary (fast to link).

mod bad_input;
mod naming;
mod plan_text;
mod round_trip;
