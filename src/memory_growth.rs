//! The wasm allocator, growing linear memory in steps proportional to its size.
//!
//! Rust's wasm32 allocator (dlmalloc) asks for more linear memory 64 KiB at a time. Each
//! `memory.grow` is a call into the browser that also reports the new bytes to its garbage
//! collector; a world holding a few hundred MiB of records grew thousands of times, and a Node
//! profile of the standard scenario (`make bench`) spent about 40% of its time in those calls
//! and 20% in the collections they triggered. Here, whenever an allocation had to grow memory,
//! a block of an eighth of the memory's size is allocated and freed at once: the allocator
//! keeps it as free space, so memory grows in about 1.125x steps (a few dozen calls on the way
//! to a GiB) and never holds more than an eighth above what it needed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::arch::wasm32::memory_size;

const PAGE: usize = 65_536;
/// Headroom reserved after a growth: memory / 8, at least 1 MiB.
const MIN_AHEAD: usize = 1 << 20;

pub struct GrowInSteps;

impl GrowInSteps {
    /// Called after the system allocator answered: if memory grew, reserve headroom.
    unsafe fn after(&self, pages_before: usize) {
        let pages = memory_size(0);
        if pages == pages_before {
            return;
        }
        let ahead = (pages * PAGE / 8).max(MIN_AHEAD);
        if let Ok(layout) = Layout::from_size_align(ahead, 16) {
            let block = System.alloc(layout);
            if !block.is_null() {
                System.dealloc(block, layout);
            }
        }
    }
}

unsafe impl GlobalAlloc for GrowInSteps {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let before = memory_size(0);
        let p = System.alloc(layout);
        self.after(before);
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let before = memory_size(0);
        let p = System.alloc_zeroed(layout);
        self.after(before);
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let before = memory_size(0);
        let p = System.realloc(ptr, layout, new_size);
        self.after(before);
        p
    }
}
