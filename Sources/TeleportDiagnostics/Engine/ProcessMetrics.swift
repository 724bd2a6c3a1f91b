import Foundation
import TeleportCore

#if canImport(Glibc)
    import Glibc
#endif

/// The real `process_*` metrics of this process, read from `/proc/self` at scrape time,
/// named and described as Prometheus client_golang's process collector names them.
public enum ProcessMetrics {
    /// What `/proc/self` says now; nil fields could not be read.
    public struct Reading: Sendable, Hashable {
        public var cpuSeconds: Double?
        public var residentBytes: Double?
        public var virtualBytes: Double?
        public var startTimeSeconds: Double?
        public var threads: Double?
        public var openFDs: Double?
        public var maxFDs: Double?
        public var maxVirtualBytes: Double?
    }

    /// Reads the process's figures from procfs.
    public static func read() -> Reading {
        var reading = Reading()
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // fields[0] is field 3 (state) of proc(5).
            func field(_ number: Int) -> Double? {
                let i = number - 3
                return i < fields.count ? Double(fields[i]) : nil
            }
            if let user = field(14), let system = field(15), ticks > 0 { reading.cpuSeconds = (user + system) / ticks }
            reading.threads = field(20)
            reading.virtualBytes = field(23)
            if let pages = field(24) { reading.residentBytes = pages * pageSize }
            if let start = field(22), let boot = bootTime(), ticks > 0 { reading.startTimeSeconds = boot + start / ticks }
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            reading.openFDs = Double(entries.count)
        }
        if let limits = try? String(contentsOfFile: "/proc/self/limits", encoding: .utf8) {
            reading.maxFDs = limit(named: "Max open files", in: limits)
            reading.maxVirtualBytes = limit(named: "Max address space", in: limits)
        }
        return reading
    }

    /// The reading as metric families (only the figures that could be read).
    public static func families(_ reading: Reading = read()) -> [MetricFamily] {
        func gauge(_ name: String, _ type: MetricType, _ help: String, _ value: Double?) -> MetricFamily? {
            guard let value else { return nil }
            return MetricFamily(name: name, type: type, help: help, samples: [Sample(name: name, value: value)])
        }
        return [
            gauge("process_cpu_seconds_total", .counter, "Total user and system CPU time spent in seconds.", reading.cpuSeconds),
            gauge("process_max_fds", .gauge, "Maximum number of open file descriptors.", reading.maxFDs),
            gauge("process_open_fds", .gauge, "Number of open file descriptors.", reading.openFDs),
            gauge("process_resident_memory_bytes", .gauge, "Resident memory size in bytes.", reading.residentBytes),
            gauge("process_start_time_seconds", .gauge, "Start time of the process since unix epoch in seconds.", reading.startTimeSeconds),
            gauge("process_threads", .gauge, "Number of OS threads of the process.", reading.threads),
            gauge("process_virtual_memory_bytes", .gauge, "Virtual memory size in bytes.", reading.virtualBytes),
            gauge("process_virtual_memory_max_bytes", .gauge, "Maximum amount of virtual memory available in bytes.", reading.maxVirtualBytes),
        ].compactMap { $0 }
    }

    static func bootTime() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        for line in stat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// The soft limit of a `/proc/self/limits` row; "unlimited" is the largest 64-bit
    /// unsigned value, as client_golang's procfs reports it.
    static func limit(named name: String, in limits: String) -> Double? {
        for line in limits.split(separator: "\n") where line.hasPrefix(name) {
            let columns = line.dropFirst(name.count).split(separator: " ", omittingEmptySubsequences: true)
            guard let soft = columns.first else { return nil }
            return soft == "unlimited" ? Double(UInt64.max) : Double(soft)
        }
        return nil
    }
}
