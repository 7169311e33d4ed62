import ForumFuzzing

@main enum Fuzz { static func main() { FuzzTarget.workbook.main() } }
