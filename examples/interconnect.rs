//! The main job (placeholder while the workspace is laid out).
fn main() {}
