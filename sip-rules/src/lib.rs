//! Allocation-free, panic-free validation of SIP INVITE requests and their SDP offers.
#![no_std]
