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

    TechnicalDetails => "Details for the developer", "Подробности для разработчика";

    // ---- API errors, in the operator's words
    ErrNetwork => "The CRM could not be reached. Check the address and the network, then try again.", "Не удалось связаться с CRM. Проверьте адрес и сеть и повторите.";
    ErrCors => "The browser blocked the answer of the CRM at this address (cross-origin request). Open the panel through a proxy on its own address: see the deployment guide in the README.", "Браузер заблокировал ответ CRM по этому адресу (запрос к другому источнику). Откройте панель через прокси на её собственном адресе: см. инструкцию по развёртыванию в README.";
    ErrRateLimited => "The CRM is busy (rate limit) and kept refusing after several tries. Wait a minute and try again.", "CRM перегружена (ограничение частоты запросов) и отказывала после нескольких попыток. Подождите минуту и повторите.";
    ErrWrongKey => "The API key is wrong.", "Неверный API-ключ.";
    ErrMissingKey => "Enter the API key.", "Введите API-ключ.";
    ErrAccessDenied => "The API key has no right for this action. Add the right to the key in the CRM settings.", "У API-ключа нет права на это действие. Добавьте право ключу в настройках CRM.";
    ErrAccountNotFound => "There is no CRM account at this address.", "По этому адресу нет аккаунта CRM.";
    ErrNotFound => "Not found in the CRM.", "Не найдено в CRM.";
    ErrHttp => "The CRM refused the request.", "CRM отклонила запрос.";
    ErrApi => "The CRM reported an error.", "CRM сообщила об ошибке.";
    ErrDecode => "The CRM's answer could not be read.", "Не удалось прочитать ответ CRM.";
    ErrInvalidRequest => "The request was not sent: it is not valid.", "Запрос не отправлен: он некорректен.";
    ErrCancelled => "Cancelled.", "Отменено.";
    TrafficThrottled => "Waiting for the CRM's rate limit ({seconds} s)…", "Ожидание лимита запросов CRM ({seconds} с)…";
    TrafficRetryRateLimited => "The CRM is busy: retry {attempt} of {max} in {seconds} s", "CRM занята: повтор {attempt} из {max} через {seconds} с";
    TrafficRetryNetwork => "Network problem: retry {attempt} of {max} in {seconds} s", "Проблема сети: повтор {attempt} из {max} через {seconds} с";

    // ---- page intros (each screen says what it is for)
    ConnectionIntro => "CRM address and API key: check the key, its rights and pick the shop.", "Адрес CRM и API-ключ: проверка ключа, его прав и выбор магазина.";
    ModuleIntro => "Register and configure the warehouse integration module in the CRM.", "Регистрация и настройка модуля складской интеграции в CRM.";
    InventoriesIntro => "Leftovers and purchase prices per offer and warehouse.", "Остатки и закупочные цены по торговым предложениям и складам.";
    UploadIntro => "Update leftovers and purchase prices from a file, in chunks of at most 250 offers.", "Обновление остатков и закупочных цен из файла, частями не более 250 предложений.";
    CatalogIntro => "Product groups, products with their offers, and product properties.", "Группы товаров, товары с торговыми предложениями и свойства товаров.";
    ShipmentsIntro => "Mark orders shipped: shipped flag, shipment warehouse and date.", "Отметка отгрузки заказов: признак, склад и дата отгрузки.";

    // ---- connection screen

    // ---- module screen

    // ---- callback probe

    // ---- inventories screen

    // ---- upload screen

    // ---- catalog screen

    // ---- shipments screen
}
