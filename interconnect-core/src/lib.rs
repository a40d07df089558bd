//! Domain model and orchestration of a WeHostVoIP to Plivo Zentrunk interconnect.
