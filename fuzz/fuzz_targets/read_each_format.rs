//! The first byte picks a format's real opening lines, the rest is the body,
//! so that every reader (not only the one random bytes detect) is fuzzed.
#![no_main]

use libfuzzer_sys::fuzz_target;

const HEADS: &[&[u8]] = &[
    b"# dmidecode 3.4\nHandle 0x0000, DMI type 17, 40 bytes\nMemory Device\n",
    b"Manufacturer,Part Number,Order Date,Qty\n",
    b"{\"kind\":\"memory\",\"manufacturer\":\"802C\"}\n",
    b"smartctl 7.3 2022-02-28 r5338 [x86_64-linux-6.1.0] (local build)\n=== START OF INFORMATION SECTION ===\n",
    b"{\"json_format_version\":[1,0],\"smartctl\":{},",
    b"{\"Devices\":[",
    b"{\"vid\":4932,\"mn\":",
    b"{\"blockdevices\":[",
    b"{\"id\":\"h\",\"class\":\"system\",\"children\":[",
    b"<?xml version=\"1.0\" standalone=\"yes\" ?>\n<node id=\"h\" class=\"system\">",
    b"00:00.0 Host bridge [0600]: Intel Corporation Device [8086:3e0f]\n",
    b"Bus 001 Device 001: ID 1d6b:0002 Linux Foundation 2.0 root hub\n",
    b"[{\"part_number\":",
    b"{\"name\":\"p\",\"hostIdentifier\":\"h\",\"columns\":",
    b"[{\"Manufacturer\":\"Micron\",\"PartNumber\":",
    b"{\"SPMemoryDataType\":[{\"_items\":[",
    b"_SM3_\x00\x18\x03\x02\x00\x01\x00\xff\x00\x00\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let mut input = HEADS[pick as usize % HEADS.len()].to_vec();
    input.extend_from_slice(body);
    let mut sink = |_c: supplyscreen_model::Component| {};
    let _ = supplyscreen_ingest::read("fuzz", input.as_slice(), &mut sink);
});
