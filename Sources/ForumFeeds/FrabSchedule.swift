import ForumDomain
import Foundation

/// The C3VOC/frab `schedule.json` (version 1) that conference apps read: days, rooms by name,
/// events with stable UUID guids, local `HH:MM` starts and durations. Persons are given as
/// `name` plus `public_name`, which every reader understands.
public struct FrabSchedule: Encodable, Sendable {
    let context: FeedContext

    public init(_ context: FeedContext) {
        self.context = context
    }

    private enum Keys: String, CodingKey {
        case schema = "$schema", generator, schedule
        case version, baseURL = "base_url", conference
        case acronym, title, start, end, daysCount, timeslotDuration = "timeslot_duration", timeZoneName = "time_zone_name", rooms, days, url
        case name, guid, index, date, dayStart = "day_start", dayEnd = "day_end"
        case id, duration, room, slug, subtitle, track, type, language, abstract, description, persons, links
        case publicName = "public_name"
    }

    public func encode(to encoder: any Encoder) throws {
        var top = encoder.container(keyedBy: Keys.self)
        try top.encode("https://c3voc.de/schedule/schema.json", forKey: .schema)
        var generator = top.nestedContainer(keyedBy: Keys.self, forKey: .generator)
        try generator.encode("forumops", forKey: .name)
        var schedule = top.nestedContainer(keyedBy: Keys.self, forKey: .schedule)
        try schedule.encode("release \(context.release.number)", forKey: .version)
        try schedule.encode(context.baseURL + "/", forKey: .baseURL)
        var conference = schedule.nestedContainer(keyedBy: Keys.self, forKey: .conference)
        let edition = context.edition
        try conference.encode(context.acronym, forKey: .acronym)
        try conference.encode(edition.fullName, forKey: .title)
        try conference.encode(edition.days.first?.date ?? "", forKey: .start)
        try conference.encode(edition.days.last?.date ?? "", forKey: .end)
        try conference.encode(edition.days.count, forKey: .daysCount)
        try conference.encode("00:15", forKey: .timeslotDuration)
        try conference.encode(edition.timeZone, forKey: .timeZoneName)
        try conference.encode(context.baseURL + "/api/v1/schedule", forKey: .url)
        var rooms = conference.nestedUnkeyedContainer(forKey: .rooms)
        for (room, building) in context.programme.rooms {
            var item = rooms.nestedContainer(keyedBy: Keys.self)
            try item.encode("\(room.name), \(building.name)", forKey: .name)
            try item.encode(context.guid("room/" + room.slug).uuidString.lowercased(), forKey: .guid)
        }
        var days = conference.nestedUnkeyedContainer(forKey: .days)
        for (index, day) in edition.days.enumerated() {
            var item = days.nestedContainer(keyedBy: Keys.self)
            try item.encode(index + 1, forKey: .index)
            try item.encode(day.date, forKey: .date)
            try item.encode(context.dateTime(day.opens), forKey: .dayStart)
            try item.encode(context.dateTime(day.closes), forKey: .dayEnd)
            var byRoom = item.nestedContainer(keyedBy: RoomName.self, forKey: .rooms)
            let sessions = context.liveSessions.filter { context.time.isoDay($0.start) == day.date }
            for (roomName, events) in Dictionary(grouping: sessions, by: context.roomName).sorted(by: { $0.key < $1.key }) {
                var list = byRoom.nestedUnkeyedContainer(forKey: RoomName(roomName))
                for session in events { try encode(session, into: &list) }
            }
        }
    }

    private func encode(_ session: Session, into list: inout UnkeyedEncodingContainer) throws {
        var event = list.nestedContainer(keyedBy: Keys.self)
        try event.encode(context.guid(session.slug).uuidString.lowercased(), forKey: .guid)
        try event.encode(context.numericID(session), forKey: .id)
        try event.encode(context.dateTime(session.start), forKey: .date)
        try event.encode(context.time.time(session.start), forKey: .start)
        try event.encode(context.duration(session), forKey: .duration)
        try event.encode(context.roomName(session), forKey: .room)
        try event.encode(context.acronym + "-" + session.slug, forKey: .slug)
        try event.encode(context.url(session), forKey: .url)
        try event.encode(session.title, forKey: .title)
        try event.encode(String?.none, forKey: .subtitle)
        try event.encode(session.track ?? session.kind.russianName, forKey: .track)
        try event.encode(session.kind.russianName, forKey: .type)
        try event.encode("ru", forKey: .language)
        try event.encode(session.description, forKey: .abstract)
        try event.encode(session.description, forKey: .description)
        var persons = event.nestedUnkeyedContainer(forKey: .persons)
        for person in session.people {
            var item = persons.nestedContainer(keyedBy: Keys.self)
            try item.encode(person.name, forKey: .name)
            try item.encode(person.name, forKey: .publicName)
        }
        _ = event.nestedUnkeyedContainer(forKey: .links)
    }

    /// A room's name as a key of a day's `rooms`.
    private struct RoomName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
