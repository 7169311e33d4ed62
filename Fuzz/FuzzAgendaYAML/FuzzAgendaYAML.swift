import ForumFuzzing

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput") public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt { FuzzTarget.agendaYAML.run(bytes, count) }
#else
@main enum Replay { static func main() { FuzzTarget.agendaYAML.replayArguments() } }
#endif
