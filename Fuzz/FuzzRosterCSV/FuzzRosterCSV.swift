import ForumFuzzing

@main enum Fuzz { static func main() { FuzzTarget.rosterCSV.main() } }
