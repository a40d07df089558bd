//! The WeHostVoIP side of a Plivo interconnect behind one async trait.
