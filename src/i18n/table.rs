//! The translation table: one line per text, English then Russian; `{name}` marks a value filled in.

/// Declares `Text` with one variant per line and its English and Russian strings.
macro_rules! texts {
    ($($name:ident => $en:literal, $ru:literal;)*) => {
        /// A text the user sees; `in_lang` gives it in a language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Text { $($name,)* }

        impl Text {
            /// Every text, for checks over the whole table.
            pub const ALL: &'static [Text] = &[$(Text::$name,)*];

            /// The English text.
            pub fn en(self) -> &'static str {
                match self { $(Text::$name => $en,)* }
            }

            /// The Russian text.
            pub fn ru(self) -> &'static str {
                match self { $(Text::$name => $ru,)* }
            }
        }
    };
}

texts! {
    // ---- shell: title, navigation, language, footer
    AppTitle => "Warehouse panel", "Панель склада";
    AppTagline => "RetailCRM warehouse integration", "Интеграция склада с RetailCRM";
    NavConnection => "Connection", "Подключение";
    NavModule => "Module", "Модуль";
    NavInventories => "Leftovers", "Остатки";
    NavUpload => "Upload", "Загрузка";
    NavCatalog => "Catalog", "Каталог";
    NavShipments => "Shipments", "Отгрузки";
    Language => "Language", "Язык";
    Version => "Version {version}", "Версия {version}";
    NotConnected => "Not connected", "Нет подключения";
    ConnectedTo => "Connected to {account}", "Подключено к {account}";
    NotFoundTitle => "Page not found", "Страница не найдена";
    NotFoundBody => "There is no screen at this address.", "По этому адресу нет экрана.";
    NotFoundBack => "Go to the connection screen", "Перейти к подключению";
    NeedConnection => "Connect to a CRM account first.", "Сначала подключитесь к аккаунту CRM.";
    GoConnect => "Open the connection screen", "Открыть экран подключения";

    // ---- shared components
    PageOfPages => "Page {page} of {pages}", "Страница {page} из {pages}";
    PageSize => "Per page", "На странице";
    ProgressFigures => "{done} of {total} {unit}", "{done} из {total} ({unit})";
    ProgressRate => "{rate}/s, time left {eta}", "{rate}/с, осталось {eta}";
    DropFileHere => "Drop a file here, or choose one:", "Перетащите файл сюда или выберите его:";
    DownloadCsv => "Download CSV", "Скачать CSV";
    Loading => "Loading…", "Загрузка…";
    Cancel => "Cancel", "Отменить";
    Pause => "Pause", "Пауза";
    Resume => "Resume", "Продолжить";
    Save => "Save", "Сохранить";
    Retry => "Retry", "Повторить";
    Nothing => "Nothing found.", "Ничего не найдено.";

    // ---- page intros (each screen says what it is for)
    ConnectionIntro => "CRM address and API key: check the key, its rights and pick the shop.", "Адрес CRM и API-ключ: проверка ключа, его прав и выбор магазина.";
    ModuleIntro => "Register and configure the warehouse integration module in the CRM.", "Регистрация и настройка модуля складской интеграции в CRM.";
    InventoriesIntro => "Leftovers and purchase prices per offer and warehouse.", "Остатки и закупочные цены по торговым предложениям и складам.";
    UploadIntro => "Update leftovers and purchase prices from a file, in chunks of at most 250 offers.", "Обновление остатков и закупочных цен из файла, частями не более 250 предложений.";
    CatalogIntro => "Product groups, products with their offers, and product properties.", "Группы товаров, товары с торговыми предложениями и свойства товаров.";
    ShipmentsIntro => "Mark orders shipped: shipped flag, shipment warehouse and date.", "Отметка отгрузки заказов: признак, склад и дата отгрузки.";
}
