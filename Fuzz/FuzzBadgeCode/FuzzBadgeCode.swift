import ForumFuzzing

@main enum Fuzz { static func main() { FuzzTarget.badgeCode.main() } }
