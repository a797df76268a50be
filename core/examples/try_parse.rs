//! Prints the JSON API's answer for each argument: `cargo run --example try_parse -- parseKeyUri '"https://..."'`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, f, a] = args.as_slice() {
        #[allow(clippy::print_stdout)]
        {
            println!("{}", amr_cmk::json_api::call(f, a));
        }
    }
}
