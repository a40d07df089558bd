//! Phone numbers: the account's rented numbers and the inventory to search and buy from.

pub mod number;
pub mod phone_number;
