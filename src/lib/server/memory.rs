//! How the server's allocator treats freed memory (benches/README.md, "Merge",
//! "The allocator").
//!
//! glibc serves a block above its mmap threshold (128 KiB at first) with a
//! fresh `mmap`, and returns freed memory at the top of its heap to the system
//! past a small trim threshold. A sync server merges large uploads again and
//! again, so both defaults make it page-fault and zero the same megabytes on
//! every large merge: the merge benchmark ran 1.7x slower on a 4,500-instruction
//! changeset and grew 1.5-1.8x per instruction to 72,000. Fixed thresholds keep
//! up to 64 MiB of freed memory in the process for the next merge instead.

/// Blocks above this many bytes still get their own mapping.
const MMAP_THRESHOLD: i32 = 32 << 20;
/// Freed memory at the heap's top kept before any is returned to the system.
const TRIM_THRESHOLD: i32 = 64 << 20;

/// Sets the thresholds; called once at start by `ros serve` (and by the
/// merge benchmark, so that it measures what the server runs). Elsewhere than
/// glibc it does nothing.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt(3) only changes two allocator parameters, with
        // integer arguments; it does not touch memory the program holds.
        // A refusal (0) leaves glibc's defaults, which are correct, only slower.
        let set = unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                & libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD)
        };
        if set == 0 {
            tracing::debug!("glibc refused the allocator thresholds; keeping its defaults");
        }
    }
}
