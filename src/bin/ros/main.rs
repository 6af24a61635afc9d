fn main() {
    println!("ros {}", env!("CARGO_PKG_VERSION"));
}
