//! rust-embed decides when this crate is compiled whether the console's folder exists: if it
//! does not, the build serves no console even after `npm run build`. A debug build reads the
//! files at run time, so the folder is made (empty) here, and a console built later is served
//! without recompiling. A release build embeds what the folder holds when it is compiled.

use std::path::Path;

fn main() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../frontend/dist");
    if let Err(error) = std::fs::create_dir_all(&dist) {
        println!("cargo:warning=could not create {}: {error}", dist.display());
    }
    println!("cargo:rerun-if-changed=build.rs");
}
