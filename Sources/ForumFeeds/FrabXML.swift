import ForumDomain
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The frab/pentabarf `schedule.xml`, built as an XML tree (escaping and well-formedness by
/// construction). Beyond what the XSD asks, it carries what real readers need: `<day date end>`,
/// `<time_zone_name>`, and `<subtitle/>`, `<persons/>`, `<description/>` on every event.
public enum FrabXML {
    public static func render(_ context: FeedContext) -> Data {
        let edition = context.edition
        let schedule = XMLElement(name: "schedule")
        schedule.addChild(element("generator", attributes: ["name": "forumops"]))
        schedule.addChild(element("url", context.baseURL + "/schedule.xml"))
        schedule.addChild(element("version", "release \(context.release.number)"))
        let conference = element("conference")
        for (name, value) in [
            ("acronym", context.acronym), ("title", edition.fullName), ("start", edition.days.first?.date ?? ""),
            ("end", edition.days.last?.date ?? ""), ("days", String(edition.days.count)), ("timeslot_duration", "00:15"),
            ("base_url", context.baseURL + "/"), ("url", context.baseURL + "/api/v1/schedule"), ("time_zone_name", edition.timeZone),
        ] {
            conference.addChild(element(name, value))
        }
        schedule.addChild(conference)
        for (index, day) in edition.days.enumerated() {
            let dayElement = element("day", attributes: [
                "index": String(index + 1), "date": day.date, "start": context.dateTime(day.opens), "end": context.dateTime(day.closes),
            ])
            let sessions = context.liveSessions.filter { context.time.isoDay($0.start) == day.date }
            for (room, building) in context.programme.rooms {
                let inRoom = sessions.filter { $0.room == room.slug }
                guard !inRoom.isEmpty else { continue }
                let roomElement = element("room", attributes: [
                    "name": "\(room.name), \(building.name)", "guid": context.guid("room/" + room.slug).uuidString.lowercased(),
                ])
                for session in inRoom { roomElement.addChild(event(session, context)) }
                dayElement.addChild(roomElement)
            }
            schedule.addChild(dayElement)
        }
        let document = XMLDocument(rootElement: schedule)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document.xmlData(options: [.nodePrettyPrint])
    }

    private static func event(_ session: Session, _ context: FeedContext) -> XMLElement {
        let event = element("event", attributes: [
            "id": String(context.numericID(session)), "guid": context.guid(session.slug).uuidString.lowercased(),
        ])
        for (name, value) in [
            ("date", context.dateTime(session.start)), ("start", context.time.time(session.start)), ("duration", context.duration(session)),
            ("room", context.roomName(session)), ("slug", context.acronym + "-" + session.slug), ("url", context.url(session)),
            ("title", session.title), ("subtitle", ""), ("track", session.track ?? session.kind.russianName),
            ("type", session.kind.russianName), ("language", "ru"), ("abstract", session.description), ("description", session.description),
        ] {
            event.addChild(element(name, value))
        }
        let persons = element("persons")
        for person in session.people {
            persons.addChild(element("person", person.name, attributes: ["guid": context.guid("person/" + RussianText.searchKey(person.name)).uuidString.lowercased()]))
        }
        event.addChild(persons)
        event.addChild(element("links"))
        return event
    }

    private static func element(_ name: String, _ text: String? = nil, attributes: [String: String] = [:]) -> XMLElement {
        let element = XMLElement(name: name)
        if let text { element.stringValue = text }
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            if let attribute = XMLNode.attribute(withName: key, stringValue: value) as? XMLNode { element.addAttribute(attribute) }
        }
        return element
    }
}
