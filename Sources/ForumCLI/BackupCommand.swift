import ArgumentParser
import ForumDomain
import ForumStore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Сделать резервную копию базы форума — можно во время работы сервера.",
        discussion: """
            Копия делается средствами SQLite (online backup) за одно чтение: это состояние форума на один момент, даже пока стойки отмечают вход. Файл создаётся с правами 0600, не перезаписывает существующий и проверяется (integrity_check).
            Ключа подписи бейджей в копии нет: храните forum.key отдельно (его копию — в надёжном месте), иначе напечатанные бейджи не пройдут на восстановленном сервере.
            Сервер может делать копии и сам: ключи backup.every (минуты), backup.folder, backup.keep.
            """
    )

    @OptionGroup var options: ForumOptions
    @OptionGroup var output: JSONOption

    @Option(help: "Файл копии (не должен существовать).")
    var out: String

    func run() async throws {
        let database = try await options.openDatabase()
        let record = try await database.backup(to: out)
        if output.json { return try Terminal.outputJSON(record) }
        Terminal.output("Копия базы: \(record.path) (\(DatabaseCommand.Status.size(record.bytes)), integrity_check: ok, \(Forum.moscowTime(record.madeAt, seconds: true)))")
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Восстановить базу форума из резервной копии.",
        discussion: """
            Сервер, работающий с этой базой, нужно остановить: пока он держит её открытой, восстановление отказывается (код выхода 1). Копия сначала проверяется (integrity_check, схема не новее этой версии forumops). Заменяемая база не удаляется: её согласованная копия остаётся рядом, в файле БАЗА.before-restore-ВРЕМЯ.
            Бейджи проходят на восстановленном сервере, если рядом с базой лежит тот же ключ forum.key.
            """
    )

    @Argument(help: "Файл резервной копии.")
    var copy: String

    @OptionGroup var options: ForumOptions
    @OptionGroup var output: JSONOption

    func run() async throws {
        let path = try options.databasePath(in: await options.configuration())
        let kept = try ForumDatabase.restore(from: copy, to: path)
        if output.json { return try Terminal.outputJSON(["database": path, "restoredFrom": copy, "kept": kept ?? ""]) }
        Terminal.output("База \(path) восстановлена из \(copy)." + (kept.map { " Прежняя база сохранена: \($0)" } ?? ""))
    }
}
