import ForumFuzzing

@main enum Fuzz { static func main() { FuzzTarget.scanRequest.main() } }
