//! A stateful offline emulator of the Plivo endpoints this crate uses.
